import KlaxonConfig
import KlaxonRouting
import KlaxonRuntime

/// Opens the store the configuration names.
package enum AlertStoreFactory {
    /// Opens and migrates the store of `configuration`, writing as `instance`.
    ///
    /// With no store configured (`StoreConfiguration.defaultSQLite`) the SQLite file is
    /// `<dataDirectory>/klaxon.db`, so `--data` moves it; a configured `sqlite:PATH` is used as
    /// written. Errors never quote a PostgreSQL URL.
    package static func open(
        _ configuration: StoreConfiguration, dataDirectory: String, instance: String,
        clock: any WallClock = SystemWallClock()
    ) throws(StoreError) -> any AlertStore {
        guard !instance.isEmpty else {
            throw StoreError(
                .failed, "the store instance name is empty; set store.instance or an instance external label")
        }
        switch configuration.kind {
        case .sqlite(let path):
            let file: String
            if configuration.kind == StoreConfiguration.defaultSQLite.kind {
                let directory = dataDirectory.hasSuffix("/") ? String(dataDirectory.dropLast()) : dataDirectory
                file = (directory.isEmpty ? "." : directory) + "/klaxon.db"
            } else {
                file = path
            }
            return try SQLiteAlertStore(path: file, instance: instance, clock: clock)
        case .postgres(let url):
            return try PostgresAlertStore(url: url, instance: instance, clock: clock)
        }
    }
}
