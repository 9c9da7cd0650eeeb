//! A lazy page walker for JavaScript: each `next()` fetches one page, so a `for await` that
//! breaks early sends no further requests.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use super::client::{promise, Core};
use crate::core::error::ProximusError;
use crate::core::paging::{Page, PageQuery, Pager};

type NextPage = Box<dyn Fn() -> Promise>;

/// Walks the pages of a list; the package's `list()` turns it into an async iterator.
#[wasm_bindgen]
pub struct RawPager {
    next: NextPage,
}

#[wasm_bindgen]
impl RawPager {
    /// The next page's items, or `null` after the last page.
    pub fn next(&self) -> Promise {
        (self.next)()
    }
}

/// A JavaScript page: `{ items, page, size, totalElements, totalPages }`.
pub fn page_to_js<T>(page: &Page<T>, item: fn(&T) -> JsValue) -> JsValue {
    super::js_values::object(&[
        ("items", items_to_js(&page.items, item)),
        ("page", page.page.into()),
        ("size", page.size.into()),
        (
            "totalElements",
            page.total_elements
                .map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64)),
        ),
        (
            "totalPages",
            page.total_pages.map_or(JsValue::NULL, JsValue::from),
        ),
    ])
}

fn items_to_js<T>(items: &[T], item: fn(&T) -> JsValue) -> JsValue {
    items.iter().map(item).collect::<Array>().into()
}

/// Wraps `pager` so each `next()` fetches one page through `core`.
pub fn raw_pager<Q: PageQuery + 'static>(
    core: Core,
    pager: Pager<Q>,
    item: fn(&Q::Item) -> JsValue,
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
            Ok(page?.map_or(JsValue::NULL, |page| items_to_js(&page.items, item)))
        })
    };
    RawPager {
        next: Box::new(next),
    }
}
