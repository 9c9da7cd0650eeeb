//! A lazy page walker for JavaScript: each `next()` fetches one page, so a `for await` that
//! breaks early sends no further requests.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::client::{promise, Core};
use super::interop::{date_items, to_js};
use super::per_call::SignalLink;
use crate::core::errors::ProximusError;
use crate::core::rented_numbers::paging::{PageQuery, Pager};

type NextPage = Box<dyn Fn() -> Promise>;

/// Walks the pages of a list; the package's `list()` turns it into an async iterator.
#[wasm_bindgen]
pub struct RawPager {
    next: NextPage,
    /// Keeps the walk's signal connected until the walk is freed.
    _link: Option<SignalLink>,
}

#[wasm_bindgen]
impl RawPager {
    /// The next page's items (their instants as `Date`s), or `null` after the last page.
    pub fn next(&self) -> Promise {
        (self.next)()
    }
}

/// Wraps `pager` so each `next()` fetches one page through `core`, with the call's options
/// (`link` keeps its signal connected while the walk lasts).
pub fn raw_pager<Q>(
    (core, link): (Core, Option<SignalLink>),
    pager: Pager<Q>,
    instant: &'static str,
) -> RawPager
where
    Q: PageQuery + 'static,
    Q::Item: Serialize,
{
    let state = Rc::new(RefCell::new(Some(pager)));
    let next = move || {
        let (core, state) = (core.clone(), state.clone());
        promise(async move {
            let mut pager = state.borrow_mut().take().ok_or_else(|| {
                ProximusError::invalid("next() called again before the previous page arrived")
            })?;
            let page = pager.next_page(&core).await;
            *state.borrow_mut() = Some(pager);
            match page? {
                Some(page) => {
                    let items = to_js(&page.items)?;
                    date_items(&items, instant);
                    Ok(items)
                }
                None => Ok(JsValue::NULL),
            }
        })
    };
    RawPager {
        next: Box::new(next),
        _link: link,
    }
}
