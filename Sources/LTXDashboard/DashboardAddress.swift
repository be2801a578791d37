import Foundation
import LTXCore

/// Where the dashboard listens: an IP address and a port (0: any free port), as `--http` gives it.
public struct DashboardAddress: Sendable, Equatable, CustomStringConvertible {
    /// The IP address to bind, without brackets (`127.0.0.1`, `::1`, `0.0.0.0`).
    public var host: String
    /// The port; 0 asks the system for a free one.
    public var port: Int

    /// The usual address: loopback, port 8080.
    public static let standard = DashboardAddress(host: "127.0.0.1", port: 8080)

    /// An address from its parts (not checked).
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT`: an IPv4 address, `[IPv6]`, or `localhost` (taken as 127.0.0.1), then a port 0–65535.
    /// Host names other than `localhost` are refused: whether a name is loopback depends on the resolver.
    public init(parsing text: String) throws(DashboardAddressError) {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw DashboardAddressError(text: text, reason: "an IPv6 address is written [ADDRESS]:PORT, e.g. [::1]:8080")
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw DashboardAddressError(text: text, reason: "expected HOST:PORT, e.g. 127.0.0.1:8080")
            }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") {
                throw DashboardAddressError(text: text, reason: "an IPv6 address is written [ADDRESS]:PORT, e.g. [::1]:8080")
            }
        }
        guard let number = Int(port), (0...65_535).contains(number), port.allSatisfy(\.isASCII) else {
            throw DashboardAddressError(text: text, reason: "the port must be a number from 0 to 65535 (0: any free port)")
        }
        let name = host == "localhost" ? "127.0.0.1" : String(host)
        guard DashboardAddress.family(of: name) != nil else {
            throw DashboardAddressError(text: text, reason: "\"\(DisplayText.escaped(String(host), limit: 80))\" is not an IP address (give one, e.g. 127.0.0.1 or [::1]; of host names only localhost is taken)")
        }
        self.host = name
        self.port = number
    }

    /// True for 127.0.0.0/8 and ::1 (and IPv4-mapped loopback): reachable from this machine only.
    public var isLoopback: Bool {
        switch DashboardAddress.family(of: host) {
        case .some(AF_INET):
            var address = in_addr()
            guard inet_pton(AF_INET, host, &address) == 1 else { return false }
            return UInt32(bigEndian: address.s_addr) >> 24 == 127
        case .some(AF_INET6):
            var address = in6_addr()
            guard inet_pton(AF_INET6, host, &address) == 1 else { return false }
            let bytes = withUnsafeBytes(of: &address) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return mapped && bytes[12] == 127
        default:
            return false
        }
    }

    /// The host as it appears in a URL (IPv6 in brackets).
    public var urlHost: String { host.contains(":") ? "[\(host)]" : host }

    /// `127.0.0.1:8080`, `[::1]:8080`.
    public var description: String { "\(urlHost):\(port)" }

    /// `AF_INET` or `AF_INET6` when `host` is an address of that family.
    static func family(of host: String) -> Int32? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return AF_INET }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return AF_INET6 }
        return nil
    }
}

/// A `--http` value that is not an address to listen on.
public struct DashboardAddressError: Error, CustomStringConvertible, Sendable {
    /// The value as given.
    public var text: String
    /// Why it cannot be used.
    public var reason: String
    /// `--http "TEXT": REASON`.
    public var description: String { "--http \"\(DisplayText.escaped(text, limit: 80))\": \(reason)" }
}
