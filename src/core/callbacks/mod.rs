//! Callback URLs: the ones the platform accepts, and signed ones. The platform does not sign
//! what it POSTs, so the application signs the URL it registers and checks it on each request.

pub mod signed_urls;
pub mod urls;
