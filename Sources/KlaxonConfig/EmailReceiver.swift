/// `email:` settings of a receiver: an SMTP relay (smarthost) and the addresses, as Alertmanager's
/// `email_config` names them.
///
/// `authPassword` is a secret: kept as given, never quoted in an error or a log line.
package struct EmailReceiver: Sendable, Equatable {
    /// `smarthost`: the relay's `host:port`. Port 465 means implicit TLS; any other STARTTLS.
    package var smarthost: HostPort
    /// `from`: the sender, in the envelope and the `From` header.
    package var from: EmailAddress
    /// `to`: one or more recipients.
    package var to: [EmailAddress]
    /// `hello` (default `localhost`, as Alertmanager): the EHLO name.
    package var hello = "localhost"
    /// `auth_username`: AUTH PLAIN or LOGIN when set.
    package var authUsername: String?
    /// `auth_password`.
    package var authPassword: String?
    /// `auth_password_file`: read at each delivery, so a rotated secret needs no reload.
    package var authPasswordFile: String?
    /// `require_tls` (default true): STARTTLS is required (on port 465 TLS is implicit anyway).
    package var requireTLS = true
    /// `tls.ca_file`: PEM CAs trusted instead of the system's store.
    package var caFile: String?
    /// `tls.insecure_skip_verify` (default false).
    package var insecureSkipVerify = false
    /// `html` (default true): a text/html part next to the plain text.
    package var html = true
    /// `digest_at`: minutes after midnight UTC when P3 notifications go out as one daily digest; nil
    /// sends them as they come.
    package var digestAtMinute: Int?

    package init(smarthost: HostPort, from: EmailAddress, to: [EmailAddress]) {
        self.smarthost = smarthost
        self.from = from
        self.to = to
    }

    /// Port 465 is SMTP over TLS from the first byte (RFC 8314).
    package var implicitTLS: Bool { smarthost.port == 465 }

    /// The keys `email:` allows.
    static let keys = [
        "smarthost", "from", "to", "hello", "auth_username", "auth_password", "auth_password_file", "require_tls",
        "tls", "html", "digest_at",
    ]
}
