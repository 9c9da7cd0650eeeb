//! A lazy page walker for JavaScript: each `next()` fetches one page, so a `for await` that
//! breaks early sends no further requests.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::client::{promise, Core};
use crate::core::error::ProximusError;
use crate::core::json::ObjectWriter;
use crate::core::paging::{Page, PageQuery, Pager};

type NextPage = Box<dyn Fn() -> Promise>;

/// Walks the pages of a list; the package's `list()` turns it into an async iterator.
#[wasm_bindgen]
pub struct RawPager {
    next: NextPage,
}

#[wasm_bindgen]
impl RawPager {
    /// The next page's items as JSON text (see `page_text`), or `null` after the last page.
    pub fn next(&self) -> Promise {
        (self.next)()
    }
}

/// A page as the JSON text api.js reads: `{ items, page, size, totalElements, totalPages }`.
pub fn page_text<T>(page: &Page<T>, item: fn(&T, &mut String)) -> JsValue {
    let mut out = String::with_capacity(64 + 160 * page.items.len());
    let mut object = ObjectWriter::new(&mut out);
    write_items(&page.items, item, object.key("items"));
    object
        .num("page", page.page.into())
        .num("size", page.size.into())
        .num_or_null("totalElements", page.total_elements.map(|n| n as f64))
        .num_or_null("totalPages", page.total_pages.map(f64::from))
        .end();
    JsValue::from_str(&out)
}

fn write_items<T>(items: &[T], item: fn(&T, &mut String), out: &mut String) {
    out.push('[');
    for (i, value) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item(value, out);
    }
    out.push(']');
}

/// Wraps `pager` so each `next()` fetches one page through `core`.
pub fn raw_pager<Q: PageQuery + 'static>(
    core: Core,
    pager: Pager<Q>,
    item: fn(&Q::Item, &mut String),
) -> RawPager {
    let state = Rc::new(RefCell::new(Some(pager)));
    let next = move || {
        let (core, state) = (core.clone(), state.clone());
        promise(async move {
            let mut pager = state.borrow_mut().take().ok_or_else(|| {
                ProximusError::invalid("next() called again before the previous page arrived")
            })?;
            let page = pager.next_page(&core).await;
            *state.borrow_mut() = Some(pager);
            Ok(page?.map_or(JsValue::NULL, |page| {
                let mut out = String::with_capacity(2 + 160 * page.items.len());
                write_items(&page.items, item, &mut out);
                JsValue::from_str(&out)
            }))
        })
    };
    RawPager {
        next: Box::new(next),
    }
}
