//! Compile-time behaviour of `#[derive(Model)]`: what must compile, and the errors it
//! promises for what must not.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
