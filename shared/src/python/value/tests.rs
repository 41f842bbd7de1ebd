use super::*;

/// Each float with what `repr()` prints for it in CPython 3.11.
#[test]
fn floats_print_as_cpython_prints_them() {
    let cases = [
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.0, "1.0"),
        (2.5, "2.5"),
        (0.1, "0.1"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (123456789012345678.0, "1.2345678901234568e+17"),
        (1.5e-5, "1.5e-05"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-1e-7, "-1e-07"),
        (1.0 / 3.0, "0.3333333333333333"),
        (21081849486.439312, "21081849486.439312"),
        (f64::INFINITY, "inf"),
        (f64::NAN, "nan"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (100.0, "100.0"),
        (12345.678, "12345.678"),
    ];
    for (f, want) in cases {
        assert_eq!(float_repr(f), want, "repr({f:?})");
    }
}

#[test]
fn strings_lists_and_dicts_print_as_cpython_prints_them() {
    let cases = [
        ("a", "'a'"),
        ("it's", "\"it's\""),
        ("say \"hi\"", "'say \"hi\"'"),
        ("both ' \"", "'both \\' \"'"),
        ("tab\t", "'tab\\t'"),
        ("nl\n", "'nl\\n'"),
        ("back\\", "'back\\\\'"),
        ("\u{1}", "'\\x01'"),
        ("é", "'é'"),
        ("\u{7f}", "'\\x7f'"),
        ("\u{85}", "'\\x85'"),
    ];
    for (s, want) in cases {
        assert_eq!(str_repr(s), want, "repr({s:?})");
    }
    let list = Value::List(vec![
        Value::Int(1),
        Value::Str("a".into()),
        Value::Float(2.0),
        Value::None,
        Value::Bool(true),
    ]);
    assert_eq!(list.to_str(), "[1, 'a', 2.0, None, True]");
    let dict = Value::Dict(vec![
        ("result".into(), Value::Int(5)),
        ("x".into(), Value::List(vec![Value::Float(1.5)])),
    ]);
    assert_eq!(dict.to_str(), "{'result': 5, 'x': [1.5]}");
    assert_eq!(Value::Str("plain".into()).to_str(), "plain");
}

/// The sums of the notes' programs, with what CPython 3.11 prints for them.
#[test]
fn sums_are_cpythons_to_the_last_digit() {
    let check =
        |term, n, want: &str| assert_eq!(sum(term, n).unwrap().to_str(), want, "{term:?} {n}");
    check(Term::Sqrt, 10_000_000, "21081849486.439312");
    check(Term::Sqrt, 12_000_000, "27712811188.840614");
    check(Term::Sqrt, 1, "0.0");
    check(Term::Sqrt, 0, "0");
    check(Term::Square, 10_000_000, "333333283333335000000");
    check(Term::Power2, 3, "5");
    check(Term::Ident, 5, "10");
    check(Term::Range, -3, "0");
    assert!(matches!(
        sum(Term::Square, i128::MAX / 2),
        Err(EvalError::TooLarge(_))
    ));
}

#[test]
fn expressions_read_variables_and_cost_their_computations() {
    let vars = |name: &str| (name == "n").then_some(Value::Int(1_000));
    let sum_n = Expr::Sum {
        term: Term::Sqrt,
        n: Box::new(Expr::var("n")),
    };
    assert!(matches!(eval(&sum_n, &vars), Ok(Value::Float(_))));
    assert_eq!(
        cost_ns(&sum_n, &vars),
        Ok(1_000.0 * Term::Sqrt.ns_per_item())
    );
    assert_eq!(
        eval(&Expr::var("m"), &vars),
        Err(EvalError::Unbound("m".into()))
    );
    let float_n = Expr::Sum {
        term: Term::Ident,
        n: Box::new(Expr::Float(2.0)),
    };
    assert_eq!(eval(&float_n, &vars), Err(EvalError::NotAnInt("float")));
    assert_eq!(
        EvalError::NotAnInt("float").to_string(),
        "TypeError: 'float' object cannot be interpreted as an integer"
    );
}
