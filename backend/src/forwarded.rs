//! Whose connection it is: the TCP peer's address, or, when the peer is a reverse proxy the
//! operator trusts (`--trusted-proxy`), the client address that proxy forwarded.
//!
//! Anyone can send `X-Forwarded-For` or `Forwarded`, so a header is only read when the peer
//! is trusted, and then from the right: each proxy appends the address it saw, so the
//! right-most address that is not itself a trusted proxy is the first one no trusted proxy
//! vouches for beyond — the client. Whatever a client wrote further left is never reached.
//! An entry that does not read as an address ends the walk: the last trusted hop is the
//! client's address then, which at worst shares a cap among the clients behind it.
//!
//! Only one header is read, the one the proxy sets (`--proxy-header`): a proxy that appends
//! to `X-Forwarded-For` passes the client's own `Forwarded` through untouched, so reading
//! both would believe whatever a client wrote in the other.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// Which header carries the addresses a trusted proxy forwards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ProxyHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx's `$proxy_add_x_forwarded_for`).
    #[default]
    XForwardedFor,
    /// RFC 7239: `Forwarded: for=client, for="[2001:db8::1]:4711"`.
    Forwarded,
}

/// An address or a network in CIDR notation: `10.0.0.1`, `10.0.0.0/8`, `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    base: IpAddr,
    prefix: u8,
}

impl Net {
    /// Whether `address` is in this network.
    pub fn contains(&self, address: IpAddr) -> bool {
        let bits = |a: IpAddr| match a.to_canonical() {
            IpAddr::V4(v4) => (u128::from(v4.to_bits()), 32),
            IpAddr::V6(v6) => (v6.to_bits(), 128),
        };
        let ((base, width), (addr, addr_width)) = (bits(self.base), bits(address));
        if width != addr_width {
            return false;
        }
        let host_bits = u32::from(width - self.prefix);
        let mask = u128::MAX.checked_shl(host_bits).unwrap_or(0);
        base & mask == addr & mask
    }
}

impl FromStr for Net {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (address, prefix) = match s.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (s, None),
        };
        let written = address
            .parse::<IpAddr>()
            .map_err(|_| format!("`{s}` is not an IP address or a network such as 10.0.0.0/8"))?;
        let width = if written.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|&p| p <= width)
                .ok_or_else(|| format!("`{s}`: the prefix length must be 0 to {width}"))?,
        };
        // An IPv4 network written as IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`) is that IPv4
        // network, as its addresses are compared.
        let base = written.to_canonical();
        let prefix = match (written, base) {
            (IpAddr::V6(_), IpAddr::V4(_)) => prefix.checked_sub(96).ok_or_else(|| {
                format!("`{s}`: an IPv4-mapped network's prefix must be 96 to 128")
            })?,
            _ => prefix,
        };
        Ok(Self { base, prefix })
    }
}

/// The proxies whose forwarded addresses are believed, and the header they set: the server's
/// `--trusted-proxy` and `--proxy-header`. By default none: every connection is its TCP
/// peer's.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct TrustedProxies {
    /// A reverse proxy (an address, or a network such as 10.0.0.0/8; repeatable) whose
    /// forwarded client addresses are believed: the per-address caps then count the
    /// right-most address in --proxy-header that is not such a proxy. Never by default.
    #[arg(
        long = "trusted-proxy",
        env = "LOOPLAB_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP|CIDR"
    )]
    pub nets: Vec<Net>,
    /// The header the trusted proxies append the client's address to (the other is ignored).
    #[arg(
        long = "proxy-header",
        env = "LOOPLAB_PROXY_HEADER",
        value_enum,
        default_value_t
    )]
    pub header: ProxyHeader,
}

impl TrustedProxies {
    fn trusts(&self, address: IpAddr) -> bool {
        self.nets.iter().any(|net| net.contains(address))
    }

    /// The client's address for a connection from `peer` carrying `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let name = match self.header {
            ProxyHeader::XForwardedFor => "x-forwarded-for",
            ProxyHeader::Forwarded => "forwarded",
        };
        // Several lines of one header are one list, in order (RFC 9110, 5.3).
        let lines: Vec<&str> = headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or("\u{0}"))
            .collect();
        let mut client = peer;
        for line in lines.iter().rev() {
            for hop in elements(line).rev() {
                let hop = match self.header {
                    ProxyHeader::XForwardedFor => address(hop),
                    ProxyHeader::Forwarded => forwarded_for(hop).and_then(address),
                };
                match hop {
                    Some(hop) if self.trusts(hop) => client = hop,
                    Some(hop) => return hop,
                    None => return client,
                }
            }
        }
        client
    }
}

/// A header value's comma-separated elements, commas inside quoted strings kept. An
/// unterminated quote leaves the rest as one element (which then does not read).
fn elements(line: &str) -> impl DoubleEndedIterator<Item = &str> {
    let mut cuts = vec![0];
    let (mut quoted, mut escaped) = (false, false);
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => cuts.push(i + 1),
            _ => {}
        }
    }
    cuts.push(line.len() + 1);
    let ends: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1] - 1)).collect();
    ends.into_iter().map(move |(a, b)| line[a..b].trim())
}

/// The `for=` value of one `Forwarded` element (`for=192.0.2.1;proto=https`), unquoted.
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| unquote(value.trim()))
    })
}

/// A token, or a quoted string without its quotes; a stray quote leaves it unreadable.
fn unquote(value: &str) -> &str {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inside) => inside,
        None if value.contains('"') => "",
        None => value,
    }
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or
/// `[2001:db8::1]:4711`. `unknown`, obfuscated names (`_hidden`) and anything else: `None`.
fn address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let address = if let Some(bracketed) = text.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        (after.is_empty() || port(after.strip_prefix(':')?)).then_some(inside)?
    } else if let Ok(address) = text.parse::<IpAddr>() {
        return Some(address.to_canonical());
    } else {
        let (v4, after) = text.split_once(':')?;
        port(after).then_some(v4)?
    };
    address.parse::<IpAddr>().ok().map(|a| a.to_canonical())
}

fn port(text: &str) -> bool {
    text.parse::<u16>().is_ok()
}

#[cfg(test)]
mod tests;
