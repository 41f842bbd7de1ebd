use super::*;

/// nginx on this machine, and a load balancer's network in front of it.
fn proxies(header: ProxyHeader) -> TrustedProxies {
    TrustedProxies {
        nets: ["127.0.0.1", "10.1.0.0/16", "fd00::/8"]
            .iter()
            .map(|n| n.parse().unwrap())
            .collect(),
        header,
    }
}

/// Who a connection from `peer` with header lines `lines` is, by `header`.
fn check(header: ProxyHeader, peer: &str, lines: &[&str], expected: &str) {
    let mut headers = HeaderMap::new();
    let name = match header {
        ProxyHeader::XForwardedFor => "x-forwarded-for",
        ProxyHeader::Forwarded => "forwarded",
    };
    for line in lines {
        headers.append(name, line.parse().unwrap());
    }
    let got = proxies(header).client(peer.parse().unwrap(), &headers);
    assert_eq!(
        got,
        expected.parse::<IpAddr>().unwrap(),
        "{peer} with {lines:?}"
    );
}

#[test]
fn x_forwarded_for_is_read_from_the_right_and_only_from_a_trusted_peer() {
    use ProxyHeader::XForwardedFor as X;
    // No proxy: the peer, whatever it claims.
    check(X, "192.0.2.7", &[], "192.0.2.7");
    check(X, "192.0.2.7", &["198.51.100.1"], "192.0.2.7");
    check(X, "192.0.2.7", &["127.0.0.1"], "192.0.2.7");
    // nginx with no header: nginx itself (a health check).
    check(X, "127.0.0.1", &[], "127.0.0.1");
    // nginx appending what it saw.
    check(X, "127.0.0.1", &["192.0.2.7"], "192.0.2.7");
    // A client's spoofed entries sit left of what nginx appended and are never reached.
    check(X, "127.0.0.1", &["198.51.100.1, 192.0.2.7"], "192.0.2.7");
    check(X, "127.0.0.1", &["127.0.0.1, 192.0.2.7"], "192.0.2.7");
    check(X, "127.0.0.1", &["garbage, 192.0.2.7"], "192.0.2.7");
    // A chain of trusted proxies: the right-most address none of them is.
    check(X, "127.0.0.1", &["192.0.2.7, 10.1.2.3"], "192.0.2.7");
    check(
        X,
        "127.0.0.1",
        &["198.51.100.1,192.0.2.7,10.1.2.3,10.1.9.9"],
        "192.0.2.7",
    );
    // Several header lines are one list, in order.
    check(
        X,
        "127.0.0.1",
        &["198.51.100.1", "192.0.2.7, 10.1.2.3"],
        "192.0.2.7",
    );
    check(X, "127.0.0.1", &["192.0.2.7", "10.1.2.3"], "192.0.2.7");
    // Every hop trusted: the left-most of them.
    check(X, "127.0.0.1", &["10.1.0.9, 10.1.2.3"], "10.1.0.9");
    // Ports, as some balancers write them.
    check(X, "127.0.0.1", &["192.0.2.7:50123"], "192.0.2.7");
    check(X, "127.0.0.1", &["[2001:db8::7]:443"], "2001:db8::7");
    // IPv6 clients and proxies; an IPv4 peer seen through a dual-stack socket.
    check(X, "127.0.0.1", &["2001:db8::7"], "2001:db8::7");
    check(X, "fd00::1", &["2001:db8::7, fd12::2"], "2001:db8::7");
    check(X, "::ffff:127.0.0.1", &["192.0.2.7"], "192.0.2.7");
    check(X, "127.0.0.1", &["::ffff:192.0.2.7"], "192.0.2.7");
    check(X, "::1", &["192.0.2.7"], "::1");
}

#[test]
fn an_entry_that_does_not_read_ends_the_walk_at_the_last_trusted_hop() {
    use ProxyHeader::XForwardedFor as X;
    check(X, "127.0.0.1", &["unknown"], "127.0.0.1");
    check(X, "127.0.0.1", &[""], "127.0.0.1");
    check(X, "127.0.0.1", &["192.0.2.7, "], "127.0.0.1");
    check(
        X,
        "127.0.0.1",
        &["192.0.2.7, 10.1.2.3, not-an-ip"],
        "127.0.0.1",
    );
    check(
        X,
        "127.0.0.1",
        &["192.0.2.7, not-an-ip, 10.1.2.3"],
        "10.1.2.3",
    );
    check(X, "127.0.0.1", &["192.0.2.7:99999"], "127.0.0.1");
    check(X, "127.0.0.1", &["[2001:db8::7"], "127.0.0.1");
    check(X, "127.0.0.1", &["[2001:db8::7]x"], "127.0.0.1");
    check(X, "127.0.0.1", &["192.0.2.7/24"], "127.0.0.1");
    check(X, "127.0.0.1", &["1.2.3.4.5"], "127.0.0.1");
}

#[test]
fn forwarded_is_read_by_its_for_parameters() {
    use ProxyHeader::Forwarded as F;
    check(F, "192.0.2.7", &["for=198.51.100.1"], "192.0.2.7");
    check(F, "127.0.0.1", &["for=192.0.2.7"], "192.0.2.7");
    check(
        F,
        "127.0.0.1",
        &["For=\"192.0.2.7\";proto=https;by=127.0.0.1"],
        "192.0.2.7",
    );
    check(F, "127.0.0.1", &["proto=https; for=192.0.2.7"], "192.0.2.7");
    check(
        F,
        "127.0.0.1",
        &["for=\"[2001:db8:cafe::17]:4711\""],
        "2001:db8:cafe::17",
    );
    check(
        F,
        "127.0.0.1",
        &["for=198.51.100.1, for=192.0.2.7, for=10.1.2.3"],
        "192.0.2.7",
    );
    check(
        F,
        "127.0.0.1",
        &["for=198.51.100.1", "for=192.0.2.7"],
        "192.0.2.7",
    );
    // A comma inside a quoted string is not a new element.
    check(F, "127.0.0.1", &["for=\"a,b\", for=192.0.2.7"], "192.0.2.7");
    check(F, "127.0.0.1", &["for=192.0.2.7, for=\"a,b\""], "127.0.0.1");
    // Obfuscated or unknown clients, and hops that do not say: the last trusted hop.
    check(F, "127.0.0.1", &["for=_hidden"], "127.0.0.1");
    check(F, "127.0.0.1", &["for=unknown"], "127.0.0.1");
    check(F, "127.0.0.1", &["proto=https"], "127.0.0.1");
    check(F, "127.0.0.1", &["for=\"192.0.2.7"], "127.0.0.1");
}

#[test]
fn only_the_header_the_proxy_sets_is_read() {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", "192.0.2.7".parse().unwrap());
    // Passed through from the client by a proxy that only appends to X-Forwarded-For.
    headers.insert("forwarded", "for=198.51.100.1".parse().unwrap());
    let peer = "127.0.0.1".parse().unwrap();
    let client = proxies(ProxyHeader::XForwardedFor).client(peer, &headers);
    assert_eq!(client, "192.0.2.7".parse::<IpAddr>().unwrap());
    let client = proxies(ProxyHeader::Forwarded).client(peer, &headers);
    assert_eq!(client, "198.51.100.1".parse::<IpAddr>().unwrap());
}

#[test]
fn nobody_is_trusted_by_default() {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", "192.0.2.7".parse().unwrap());
    let peer: IpAddr = "127.0.0.1".parse().unwrap();
    assert_eq!(TrustedProxies::default().client(peer, &headers), peer);
}

#[test]
fn networks_are_read_in_cidr_notation() {
    let contains = |net: &str, address: &str| {
        let net: Net = net.parse().unwrap();
        net.contains(address.parse().unwrap())
    };
    assert!(contains("10.0.0.0/8", "10.255.1.2"));
    assert!(!contains("10.0.0.0/8", "11.0.0.1"));
    assert!(contains("10.1.2.3", "10.1.2.3"));
    assert!(!contains("10.1.2.3", "10.1.2.4"));
    assert!(contains("10.1.2.3/32", "10.1.2.3"));
    assert!(contains("0.0.0.0/0", "192.0.2.7"));
    assert!(!contains("0.0.0.0/0", "2001:db8::1"));
    assert!(contains("::/0", "2001:db8::1"));
    assert!(contains("2001:db8::/32", "2001:db8:ffff::1"));
    assert!(!contains("2001:db8::/32", "2001:db9::1"));
    assert!(
        contains("::ffff:10.0.0.0/104", "10.3.3.3"),
        "mapped written as IPv4"
    );
    assert!(contains("192.0.2.0/24", "::ffff:192.0.2.9"));
    for bad in [
        "",
        "10.0.0.0/33",
        "::/129",
        "10.0.0.0/",
        "10.0.0.0/x",
        "localhost",
        "10/8",
    ] {
        assert!(bad.parse::<Net>().is_err(), "{bad}");
    }
}
