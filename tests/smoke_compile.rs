mod support;
use support::*;
#[test]
fn builds() { let t = with_token_endpoint(|_| json(200, "{}")); let c = FakeClock::new(); let cl = client(&t, &c); let tok = block_on(cl.token()).unwrap(); assert_eq!(tok.value.expose(), "tok-1"); }
