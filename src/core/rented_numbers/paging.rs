//! Pages of the Rented numbers API (bookings, call records) and a lazy pager over them.
//!
//! A page is `{"content":[…],"page":0,"size":20,"totalElements":42,"totalPages":3}` (the common
//! Spring style; the Spring Data 3 `{"content":[…],"page":{"number":0,"size":20,…}}` form and a
//! bare array are read too). Totals are advisory: they are derived when missing, and totals that
//! disagree with the content never make the pager loop or fail.

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

use crate::core::client::{Call, Client, Exchange};
use crate::core::clock::Clock;
use crate::core::codec::lenient::{Scalar, Shape};
use crate::core::codec::{DecodeError, JsonCodec};
use crate::core::config::Config;
use crate::core::errors::{ProximusError, Result};
use crate::core::transport::{HttpResponse, Transport};

/// Largest page size the API accepts.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Default page size.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// A pager fetches at most this many pages: a server that keeps answering full pages forever
/// gets a `bad_response` instead of an endless loop (at 100 per page, a million items).
pub const MAX_PAGES: u32 = 10_000;

/// One page of results.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items, in the server's order.
    pub items: Vec<T>,
    /// The page number (0-based) as the server reported it, else the one asked for.
    pub page: u32,
    /// The page size as the server reported it, else the one asked for.
    pub size: u32,
    /// All items over all pages: as reported, else derived when this page shows it (a short
    /// page), else `None`.
    pub total_elements: Option<u64>,
    /// All pages: as reported, else derived from `total_elements`, else `None`.
    pub total_pages: Option<u32>,
}

impl<T> Page<T> {
    /// Whether the server has fewer items here than the page size (so this is the last page).
    pub fn is_short(&self) -> bool {
        (self.items.len() as u64) < u64::from(self.size)
    }
}

/// `{"content":[…],"page":0,"size":20,"totalElements":42,"totalPages":3}`, or Spring Data 3's
/// `{"content":[…],"page":{"number":0,"size":20,"totalElements":42,"totalPages":3}}`.
#[derive(Debug, Deserialize)]
#[serde(default, rename_all = "camelCase", bound = "W: Deserialize<'de>")]
pub struct PageObject<W> {
    /// The items.
    pub content: Option<Vec<W>>,
    /// The page number, or Spring Data 3's nested numbers.
    pub page: Shape<IgnoredAny, PageNumbers>,
    /// Spring's own name for the page number.
    pub number: Scalar,
    /// The page size.
    pub size: Scalar,
    /// All items over all pages.
    pub total_elements: Scalar,
    /// All pages.
    pub total_pages: Scalar,
}

impl<W> Default for PageObject<W> {
    fn default() -> Self {
        PageObject {
            content: None,
            page: Shape::default(),
            number: Scalar::Absent,
            size: Scalar::Absent,
            total_elements: Scalar::Absent,
            total_pages: Scalar::Absent,
        }
    }
}

/// Spring Data 3's `page` object.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PageNumbers {
    /// The page number.
    pub number: Scalar,
    /// The page number, under the older name.
    pub page: Scalar,
    /// The page size.
    pub size: Scalar,
    /// All items over all pages.
    pub total_elements: Scalar,
    /// All pages.
    pub total_pages: Scalar,
}

/// A list call that returns pages: its request for page `n` and how to read one item.
pub trait PageQuery {
    /// What the pages hold.
    type Item: 'static;
    /// An item as the platform sends it.
    type Wire: DeserializeOwned;
    /// The first page to fetch.
    fn first_page(&self) -> u32;
    /// The page size asked for.
    fn size(&self) -> u32;
    /// The request for `page`, checked (`invalid_argument` before anything is sent).
    fn call(&self, base_url: &str, page: u32) -> Result<Call>;
    /// Reads one item of `content`.
    fn parse_item(item: Self::Wire) -> Result<Self::Item>;
}

/// Checks a page size (`1..=100`).
pub fn check_size(size: u32) -> Result<()> {
    if (1..=MAX_PAGE_SIZE).contains(&size) {
        Ok(())
    } else {
        Err(ProximusError::invalid(format!(
            "size must be from 1 to {MAX_PAGE_SIZE}, got {size}"
        )))
    }
}

/// The exchange for `page` of `query`.
pub fn page_exchange<J: JsonCodec, Q: PageQuery>(
    config: &Config,
    query: &Q,
    page: u32,
) -> Result<Exchange<Page<Q::Item>>> {
    let call = query.call(&config.rented_numbers_url, page)?;
    let size = query.size();
    Ok(Exchange::new(call, move |response| {
        parse_page::<J, _, _>(response, page, size, Q::parse_item)
    }))
}

/// One page of `query` (its `first_page`), sent.
pub async fn list_page<Q: PageQuery, T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    query: &Q,
) -> Result<Page<Q::Item>> {
    let exchange = page_exchange::<T::Json, Q>(client.config(), query, query.first_page())?;
    client.exchange(exchange).await
}

/// Reads a page answer with the runtime's codec `J`; `page` and `size` are what was asked for
/// (used when the answer omits them). Any item that `item` refuses makes the whole page
/// `bad_response`.
pub fn parse_page<J: JsonCodec, W: DeserializeOwned, T>(
    response: &HttpResponse,
    page: u32,
    size: u32,
    item: impl Fn(W) -> Result<T>,
) -> Result<Page<T>> {
    let bad = |what: &str| ProximusError::bad_response(what).with_status(response.status);
    let (content, meta) = match J::decode_object::<PageObject<W>>(&response.body) {
        Ok(mut object) => {
            let content = object
                .content
                .take()
                .ok_or_else(|| bad("expected a page with a `content` array"))?;
            (content, Some(object))
        }
        Err(DecodeError::NotJson) => {
            return Err(bad("expected a JSON page, got a body that is not JSON"))
        }
        // A bare array of items (rare: read a second time), else a shape the client cannot use;
        // what the server wrote is not quoted (it may hold numbers).
        Err(DecodeError::Shape(_)) => match J::decode::<Vec<W>>(&response.body) {
            Ok(items) => (items, None),
            Err(_) => {
                return Err(bad(
                    "expected a JSON page: a `content` array of objects, or such an array",
                ))
            }
        },
    };
    let items = content
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            item(value).map_err(|e| bad(&format!("item {i} of the page: {}", e.message())))
        })
        .collect::<Result<Vec<T>>>()?;

    // Spring Data 3 nests the numbers under "page"; the older style has them at the top.
    let numbers = meta.as_ref().map(|m| match m.page.object() {
        Some(nested) => [
            nested.page.clone(),
            nested.number.clone(),
            nested.size.clone(),
            nested.total_elements.clone(),
            nested.total_pages.clone(),
        ],
        None => [
            m.page.scalar().clone(),
            m.number.clone(),
            m.size.clone(),
            m.total_elements.clone(),
            m.total_pages.clone(),
        ],
    });
    let whole = |at: usize| numbers.as_ref().and_then(|n| whole_number(&n[at]));
    let reported_page = whole(0).or_else(|| whole(1));
    let page = reported_page.map_or(page, clamp_u32);
    let size = whole(2).filter(|&s| s >= 1).map_or(size, clamp_u32).max(1);
    let count = items.len() as u64;
    let short = count < u64::from(size);
    // A short page is the last one; an empty page past the first says nothing about totals.
    let seen_end = short && (count > 0 || page == 0);
    let total_elements =
        whole(3).or_else(|| seen_end.then(|| u64::from(page) * u64::from(size) + count));
    let total_pages = whole(4)
        .map(clamp_u32)
        .or_else(|| total_elements.map(|n| clamp_u32(n.div_ceil(u64::from(size)))));
    Ok(Page {
        items,
        page,
        size,
        total_elements,
        total_pages,
    })
}

/// A non-negative whole number (numeric strings too); anything else counts as absent.
fn whole_number(value: &Scalar) -> Option<u64> {
    let n = value.number()?;
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0).then(|| n.min(u64::MAX as f64) as u64)
}

fn clamp_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Walks the pages of a list call lazily: page `n` is fetched only when asked for, so a caller
/// that stops early (or drops the pager) causes no further requests.
///
/// It stops after the last page: per `totalPages` when the server sends it, else at the first
/// short page; always at an empty page; and after [`MAX_PAGES`] pages with a `bad_response`.
/// A failed fetch leaves the pager where it was, so asking again retries that page.
#[derive(Clone, Debug)]
pub struct Pager<Q> {
    query: Q,
    next: Option<u32>,
    fetched: u32,
    max_pages: u32,
}

impl<Q: PageQuery> Pager<Q> {
    /// A pager starting at `query`'s page; a bad query is refused here, before any request.
    pub fn new(query: Q) -> Result<Self> {
        query.call("", query.first_page())?;
        Ok(Pager {
            next: Some(query.first_page()),
            query,
            fetched: 0,
            max_pages: MAX_PAGES,
        })
    }

    /// Lowers the cap on pages fetched (default and upper bound [`MAX_PAGES`]).
    pub fn with_max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages.min(MAX_PAGES);
        self
    }

    /// The query this pager walks.
    pub fn query(&self) -> &Q {
        &self.query
    }

    /// The page the next call fetches, or `None` when done.
    pub fn next_page_number(&self) -> Option<u32> {
        self.next
    }

    /// Whether every page has been fetched (or the pager was stopped).
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> u32 {
        self.fetched
    }

    /// Ends the walk: later calls return `Ok(None)` without a request.
    pub fn stop(&mut self) {
        self.next = None;
    }

    /// The next page, `Ok(None)` after the last one.
    pub async fn next_page<T: Transport + 'static, C: Clock + 'static>(
        &mut self,
        client: &Client<T, C>,
    ) -> Result<Option<Page<Q::Item>>> {
        let Some(number) = self.next else {
            return Ok(None);
        };
        if self.fetched >= self.max_pages {
            self.next = None;
            return Err(ProximusError::bad_response(format!(
                "the server kept sending full pages: stopped after {} pages",
                self.fetched
            )));
        }
        let exchange = page_exchange::<T::Json, Q>(client.config(), &self.query, number)?;
        let page = client.exchange(exchange).await?;
        self.fetched += 1;
        let more = match page.total_pages {
            _ if page.items.is_empty() => false,
            Some(total) => number < total.saturating_sub(1),
            None => !page.is_short(),
        };
        self.next = if more { number.checked_add(1) } else { None };
        Ok(Some(page))
    }

    /// Every remaining item, fetching all remaining pages (up to the cap).
    pub async fn collect_all<T: Transport + 'static, C: Clock + 'static>(
        &mut self,
        client: &Client<T, C>,
    ) -> Result<Vec<Q::Item>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page(client).await? {
            all.extend(page.items);
        }
        Ok(all)
    }
}

// Helpers shared by the Rented numbers modules (bookings, call records, call events).

/// Longest id accepted in a path.
pub(crate) const MAX_ID_CHARS: usize = 128;

/// Checks an id that goes into a URL path and returns it percent-encoded.
///
/// `.` and `..` are refused: URL parsers resolve them (even as `%2E%2E`), which would send the
/// request to another resource.
pub(crate) fn path_id(what: &str, id: &str) -> Result<String> {
    if id.trim().is_empty() {
        return Err(ProximusError::invalid(format!(
            "{what} must be a non-empty string"
        )));
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(ProximusError::invalid(format!(
            "{what} must be at most {MAX_ID_CHARS} characters"
        )));
    }
    if id.chars().any(char::is_control) {
        return Err(ProximusError::invalid(format!(
            "{what} must not contain control characters"
        )));
    }
    if id == "." || id == ".." {
        return Err(ProximusError::invalid(format!(
            "{what} must not be `.` or `..`"
        )));
    }
    Ok(crate::core::codec::form::encode(id))
}
