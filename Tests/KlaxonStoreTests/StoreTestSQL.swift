@testable import KlaxonStore

/// Raw SQL the tests use to provoke failures the store API cannot.
enum StoreTestSQL {
    /// Makes any insert of routing state under `key` fail inside the database (a trigger).
    static func refuseRoutingStateKey(_ key: String, on connection: any SQLConnection) throws {
        let quoted = key.replacingOccurrences(of: "'", with: "''")
        switch connection.dialect {
        case .sqlite:
            try connection.execute(
                """
                CREATE TRIGGER refuse_key BEFORE INSERT ON routing_state WHEN NEW.key = '\(quoted)'
                BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END
                """, [])
        case .postgres:
            let doubled = quoted.replacingOccurrences(of: "'", with: "''")
            try connection.execute(
                """
                CREATE FUNCTION refuse_key() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN
                    IF NEW.key = ''\(doubled)'' THEN RAISE EXCEPTION ''refused by the test trigger''; END IF;
                    RETURN NEW;
                END'
                """, [])
            try connection.execute(
                "CREATE TRIGGER refuse_key BEFORE INSERT ON routing_state FOR EACH ROW EXECUTE FUNCTION refuse_key()",
                [])
        }
    }
}
