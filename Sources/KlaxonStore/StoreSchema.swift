/// The store's schema as numbered migrations, the same for SQLite and PostgreSQL.
///
/// A migration is never edited once released: a change is a new migration with the next number.
/// Column types are those both databases read alike (`BIGINT` is SQLite's `INTEGER`); the audit id
/// column is the only text that differs (`SQLDialect.auditIDColumn`). Every table carries
/// `instance`, so several Klaxons can share one PostgreSQL database. Doubles are stored as text
/// (`StoreCoding`), because SQLite stores NaN as NULL.
struct StoreMigration: Sendable {
    /// The schema version this migration brings the database to.
    let version: Int
    /// What it does, recorded in `schema_migrations`.
    let name: String
    /// Its statements, run in order in one transaction with the version row.
    let statements: @Sendable (SQLDialect) -> [String]
}

enum StoreSchema {
    /// Every migration, in version order.
    static let migrations: [StoreMigration] = [
        StoreMigration(version: 1, name: "audit, alert state, silences, acks, outbox, claims, routing state") {
            dialect in
            [
                """
                CREATE TABLE audit (
                    \(dialect.auditIDColumn),
                    instance TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    fingerprint TEXT,
                    alert_name TEXT NOT NULL,
                    severity TEXT,
                    source TEXT NOT NULL,
                    rule_id TEXT NOT NULL,
                    receiver TEXT NOT NULL,
                    stage TEXT,
                    attempt BIGINT,
                    latency_ms BIGINT,
                    error_class TEXT,
                    detail TEXT NOT NULL,
                    labels TEXT NOT NULL
                )
                """,
                "CREATE INDEX audit_instance_id ON audit (instance, id)",
                "CREATE INDEX audit_instance_time ON audit (instance, time)",
                "CREATE INDEX audit_fingerprint_id ON audit (fingerprint, id)",
                "CREATE INDEX audit_alert_name_id ON audit (alert_name, id)",
                """
                CREATE TABLE active_alerts (
                    instance TEXT NOT NULL,
                    group_name TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    rule TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    annotations TEXT NOT NULL,
                    state TEXT NOT NULL,
                    value TEXT NOT NULL,
                    active_at BIGINT NOT NULL,
                    fired_at BIGINT,
                    keep_firing_since BIGINT,
                    last_sent_at BIGINT,
                    valid_until BIGINT,
                    PRIMARY KEY (instance, group_name, seq)
                )
                """,
                """
                CREATE TABLE silences (
                    instance TEXT NOT NULL,
                    id TEXT NOT NULL,
                    matchers TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    comment TEXT NOT NULL,
                    starts_at BIGINT NOT NULL,
                    ends_at BIGINT NOT NULL,
                    until_resolved TEXT,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (instance, id)
                )
                """,
                """
                CREATE TABLE acks (
                    instance TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    acked_by TEXT NOT NULL,
                    comment TEXT NOT NULL,
                    acked_at BIGINT NOT NULL,
                    expires_at BIGINT,
                    PRIMARY KEY (instance, fingerprint)
                )
                """,
                """
                CREATE TABLE outbox (
                    instance TEXT NOT NULL,
                    key TEXT NOT NULL,
                    notification_id TEXT NOT NULL,
                    receiver TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    next_attempt_at BIGINT NOT NULL,
                    last_error TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    payload TEXT NOT NULL,
                    PRIMARY KEY (instance, key)
                )
                """,
                "CREATE INDEX outbox_due ON outbox (instance, state, next_attempt_at)",
                """
                CREATE TABLE delivery_claims (
                    key TEXT PRIMARY KEY,
                    instance TEXT NOT NULL,
                    claimed_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX delivery_claims_instance_time ON delivery_claims (instance, claimed_at)",
                """
                CREATE TABLE routing_state (
                    instance TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (instance, key)
                )
                """,
            ]
        }
    ]

    /// The newest version this build knows.
    static var latestVersion: Int { migrations.last?.version ?? 0 }
}
