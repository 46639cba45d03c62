import COpenSSL
import Glibc
import KlaxonRouting

/// How the SMTP client trusts the relay's certificate.
package struct TLSSettings: Sendable, Equatable {
    /// PEM file of the CAs to trust instead of the system's store (`tls.ca_file`).
    package var caFile: String?
    /// Skips certificate and host name verification (`tls.insecure_skip_verify`; tests and labs only).
    package var insecureSkipVerify: Bool

    package init(caFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// One OpenSSL client session over a connected non-blocking descriptor: TLS 1.2 or later, SNI for
/// host names, the chain verified against the system store (or `caFile`) and the certificate
/// checked against the host name or IP address the relay was configured by.
final class TLSSession {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let target: String

    init(fd: Int32, settings: TLSSettings, serverName: String, target: String) throws(DeliveryError) {
        self.target = target
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw DeliveryError(.network, "\(target): cannot create a TLS context: \(Self.lastError())")
        }
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw DeliveryError(.network, "\(target): cannot create a TLS session: \(Self.lastError())")
        }
        // From here on `deinit` frees both, whatever fails below.
        self.context = context
        self.ssl = ssl
        _ = klaxon_ssl_ctx_require_tls12(context)
        klaxon_ssl_ctx_allow_moving_write_buffer(context)
        if settings.insecureSkipVerify {
            SSL_set_verify(ssl, SSL_VERIFY_NONE, nil)
        } else {
            if let caFile = settings.caFile {
                guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                    throw DeliveryError(
                        .configuration, "\(target): cannot load tls.ca_file \(caFile): \(Self.lastError())")
                }
            } else {
                guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                    throw DeliveryError(.network, "\(target): cannot load the system's CA store: \(Self.lastError())")
                }
            }
            // The context's store is read when the session verifies, so loading it after SSL_new is fine.
            SSL_set_verify(ssl, SSL_VERIFY_PEER, nil)
            let checked: Int32
            if Self.isIPAddress(serverName) {
                checked = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName)
            } else {
                checked = SSL_set1_host(ssl, serverName)
            }
            guard checked == 1 else {
                throw DeliveryError(.configuration, "\(target): cannot check the certificate against \(serverName)")
            }
        }
        // SNI carries host names only (RFC 6066 §3).
        if !Self.isIPAddress(serverName) { _ = klaxon_ssl_set_server_name(ssl, serverName) }
        guard SSL_set_fd(ssl, fd) == 1 else {
            throw DeliveryError(.network, "\(target): cannot attach TLS to the socket: \(Self.lastError())")
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Runs the client handshake; `wait` blocks until the socket is ready for the events it is given.
    func handshake(wait: (Int16) throws(DeliveryError) -> Void) throws(DeliveryError) {
        while true {
            ERR_clear_error()
            let result = SSL_connect(ssl)
            if result == 1 { return }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ: try wait(Int16(POLLIN))
            case SSL_ERROR_WANT_WRITE: try wait(Int16(POLLOUT))
            default:
                let verification = SSL_get_verify_result(ssl)
                if verification != X509_V_OK {
                    let reason = String(cString: X509_verify_cert_error_string(verification))
                    throw DeliveryError(.network, "\(target): the certificate was not accepted: \(reason)")
                }
                throw DeliveryError(.network, "\(target): the TLS handshake failed: \(Self.lastError())")
            }
        }
    }

    /// One `SSL_write` of what is left of `bytes` after `offset`.
    func write(_ bytes: [UInt8], from offset: Int) throws(DeliveryError) -> IOOutcome {
        ERR_clear_error()
        let count = Int32(clamping: bytes.count - offset)
        let written = bytes.withUnsafeBytes { raw in SSL_write(ssl, raw.baseAddress.map { $0 + offset }, count) }
        if written > 0 { return .done(Int(written)) }
        return try outcome(of: written, operation: "write")
    }

    /// One `SSL_read` into `buffer`; `.done(0)` when the relay closed.
    func read(into buffer: inout [UInt8]) throws(DeliveryError) -> IOOutcome {
        ERR_clear_error()
        let count = Int32(clamping: buffer.count)
        let received = buffer.withUnsafeMutableBytes { raw in SSL_read(ssl, raw.baseAddress, count) }
        if received > 0 { return .done(Int(received)) }
        return try outcome(of: received, operation: "read")
    }

    /// Sends close_notify without waiting for the answer.
    func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
    }

    private func outcome(of result: Int32, operation: String) throws(DeliveryError) -> IOOutcome {
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wait(Int16(POLLIN))
        case SSL_ERROR_WANT_WRITE: return .wait(Int16(POLLOUT))
        case SSL_ERROR_ZERO_RETURN: return .done(0)
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0 && (result == 0 || errno == 0):
            // The relay closed the connection without close_notify.
            return .done(0)
        default:
            throw DeliveryError(.network, "\(target): TLS \(operation) failed: \(Self.lastError())")
        }
    }

    /// OpenSSL's first queued error as text, or "unknown error".
    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
