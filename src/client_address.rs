//! Who the client is: the one function ([`of`]) that the login limits and the request logs
//! both use.
//!
//! The TCP peer is the client, unless it is one of `MUTUA_TRUSTED_PROXIES` (addresses or
//! CIDR blocks, comma-separated; none by default). From a trusted peer, `X-Forwarded-For` is
//! read from the right: each proxy appends the address it received the request from, so the
//! rightmost address that is not a trusted proxy is the client, and whatever a client wrote
//! to the left of it is ignored. From any other peer the header is ignored: anyone can send
//! it.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    str::FromStr,
};

use actix_web::{HttpRequest, web};

/// An address block: an address and how many leading bits of it must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    fn parse(raw: &str) -> Result<Self, String> {
        let (address, prefix) = raw.split_once('/').map_or((raw, None), |(a, p)| (a, Some(p)));
        let network = IpAddr::from_str(address.trim())
            .map_err(|_| format!("{:?} is not an IP address or CIDR block", crate::error::echo(raw)))?
            .to_canonical();
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{:?}: the prefix length must be 0 to {max}", crate::error::echo(raw)))?,
        };
        Ok(Self { network, prefix })
    }

    fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// The peers whose `X-Forwarded-For` is believed (`MUTUA_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

/// Hops of `X-Forwarded-For` read at most: more proxies than this in a chain is not a
/// deployment, and the header must not cost more than a glance.
const MAX_HOPS: usize = 16;

impl TrustedProxies {
    /// `10.0.0.5, 192.168.0.0/16, fd00::/8`; empty: none.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(Cidr::parse).collect::<Result<_, _>>().map(Self)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|block| block.contains(address))
    }

    /// The client of a request that came from `peer` with these `X-Forwarded-For` values
    /// (each a comma-separated list, in the order the header lines came).
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let right_to_left = forwarded_for.iter().rev().flat_map(|line| line.rsplit(',')).map(str::trim);
        let mut client = peer;
        for hop in right_to_left.take(MAX_HOPS) {
            // What a trusted proxy wrote is an address; anything else ends the chain at the
            // last proxy that can be named.
            let Some(address) = parse_hop(hop) else { return client };
            client = address;
            if !self.trusts(address) {
                return address;
            }
        }
        client
    }
}

/// `203.0.113.7`, `2001:db8::1`, `203.0.113.7:4711` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let address = IpAddr::from_str(hop)
        .ok()
        .or_else(|| SocketAddr::from_str(hop).ok().map(|s| s.ip()))
        .or_else(|| IpAddr::from_str(hop.strip_prefix('[')?.strip_suffix(']')?).ok())?;
    Some(address.to_canonical())
}

/// The client address of a request: what the login limits count and the logs record. The
/// unspecified address when the peer is unknown (not a TCP connection). The trusted proxies
/// are the application's `web::Data<TrustedProxies>`; without it, no header is believed.
pub fn of(req: &HttpRequest) -> IpAddr {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return IpAddr::V4(Ipv4Addr::UNSPECIFIED) };
    let Some(trusted) = req.app_data::<web::Data<TrustedProxies>>() else { return peer.to_canonical() };
    let forwarded: Vec<&str> =
        req.headers().get_all("x-forwarded-for").filter_map(|value| value.to_str().ok()).collect();
    trusted.client(peer, &forwarded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_addresses_and_blocks() {
        let trusted = TrustedProxies::parse(" 10.0.0.5 , 192.168.0.0/16,fd00::/8 ").unwrap();
        assert!(trusted.trusts(ip("10.0.0.5")) && !trusted.trusts(ip("10.0.0.6")));
        assert!(trusted.trusts(ip("192.168.44.1")) && !trusted.trusts(ip("192.169.0.1")));
        assert!(trusted.trusts(ip("fd12::1")) && !trusted.trusts(ip("fe80::1")));
        assert!(trusted.trusts(ip("::ffff:10.0.0.5")), "IPv4-mapped IPv6 is the IPv4 address");
        assert_eq!(TrustedProxies::parse("").unwrap(), TrustedProxies::default());
        assert!(TrustedProxies::parse("0.0.0.0/0").unwrap().trusts(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "nonsense", "10.0.0.0/x", "::/129"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_peers_rightmost_untrusted_hop() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("127.0.0.1"), &["6.6.6.6"]), ip("127.0.0.1"));
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        // The client forged the first hop; the proxies appended the rest.
        assert_eq!(trusted.client(ip("127.0.0.1"), &["6.6.6.6, 203.0.113.7, 10.1.1.1"]), ip("203.0.113.7"));
        assert_eq!(trusted.client(ip("127.0.0.1"), &["6.6.6.6", "203.0.113.7:4711"]), ip("203.0.113.7"));
        assert_eq!(trusted.client(ip("127.0.0.1"), &["[2001:db8::1]:80"]), ip("2001:db8::1"));
        assert_eq!(trusted.client(ip("127.0.0.1"), &[]), ip("127.0.0.1"), "no header: the proxy itself");
        assert_eq!(trusted.client(ip("127.0.0.1"), &["10.2.2.2"]), ip("10.2.2.2"), "all trusted: the leftmost");
        assert_eq!(trusted.client(ip("127.0.0.1"), &["garbage, 10.2.2.2"]), ip("10.2.2.2"));
        assert_eq!(trusted.client(ip("192.0.2.1"), &["6.6.6.6"]), ip("192.0.2.1"), "untrusted peer");
    }
}
