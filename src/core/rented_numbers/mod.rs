//! The Rented numbers API: bookings of temporary numbers that forward to a hidden one, the
//! records of the calls they received, `ensure` (one working number per listing), the pages
//! both lists come in, the call events the platform POSTs to a booking's callback URL, and
//! their confirmation against the platform's call records.

pub mod bookings;
pub mod call_confirm;
pub mod call_events;
pub mod cdrs;
pub mod ensure;
pub mod orphans;
pub mod paging;
