//! Reading application values without ever letting a JavaScript exception unwind through wasm
//! frames (a Proxy trap, a throwing getter, a revoked proxy): that would skip Rust's cleanup and
//! could leave the instance unusable. Every read here is bound with `catch` or is a `typeof` test.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// `value[key]`, or `undefined` when `value` is not an object or reading throws.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    if !value.is_object() && !value.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `Array.isArray(value)`; `None` when asking throws (a revoked proxy).
pub fn is_array(value: &JsValue) -> Option<bool> {
    if !value.is_object() {
        return Some(false);
    }
    array_is_array(value).ok()
}

/// The items of an array, read one by one with `Reflect` (no trap reaches wasm); `None` when
/// the length or an item cannot be read, or the length is absurd.
pub fn array_items(value: &JsValue, max: u32) -> Option<Vec<JsValue>> {
    let length = Reflect::get(value, &"length".into()).ok()?.as_f64()?;
    if !(0.0..=f64::from(max)).contains(&length) || length.fract() != 0.0 {
        return None;
    }
    (0..length as u32)
        .map(|i| Reflect::get_u32(value, i).ok())
        .collect()
}

/// The own enumerable string keys; `None` when listing them throws.
pub fn keys(value: &JsValue) -> Option<Vec<String>> {
    let keys = object_keys(value).ok()?;
    Some(keys.iter().filter_map(|k| k.as_string()).collect())
}

/// `value` as a function, by `typeof` (no `instanceof`, which runs proxy traps).
pub fn function(value: &JsValue) -> Option<Function> {
    value.is_function().then(|| value.clone().unchecked_into())
}

/// `value.method()` when `value` has such a method; `None` when it has none or it throws.
pub fn call_method(value: &JsValue, method: &str) -> Option<JsValue> {
    function(&get(value, method))?.call0(value).ok()
}

/// Whether `value` is a plain options bag: an object, not an array, not a function.
pub fn is_options_object(value: &JsValue) -> bool {
    value.is_object() && is_array(value) == Some(false)
}

thread_local! {
    /// One do-nothing rejection handler for the whole instance.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

/// Calls an application hook whose answer does not matter (`onRetry`, `onProgress`): neither a
/// throw nor a rejected promise it returns may break the call it observes or surface as an
/// unhandled rejection.
pub fn call_hook(hook: &Function, arg: &JsValue) {
    let Ok(returned) = hook.call1(&JsValue::UNDEFINED, arg) else {
        return;
    };
    if let Some(then) = function(&get(&returned, "then")) {
        IGNORE.with(|ignore| {
            let _ = then.call2(&returned, &JsValue::UNDEFINED, ignore.as_ref());
        });
    }
}
