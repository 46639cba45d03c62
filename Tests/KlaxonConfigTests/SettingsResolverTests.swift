import Foundation
import KlaxonConfig
import KlaxonRuntime
import Testing

/// One resolution for `serve`, `check config` and reload: file, then environment, then flags.
@Suite struct SettingsResolverTests {
    private func file(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "klaxon-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("klaxon.yml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theEnvironmentFlagBeatsVariablesWhichBeatTheFile() throws {
        let path = try file("environment: prod\n")
        let variables = ["KLAXON_ENV": "staging", "APP_ENV": "dev"]
        let flagged = try SettingsResolver.resolve(
            configPath: path, processEnvironment: variables, overrides: SettingOverrides(environment: .dev))
        #expect(flagged.configuration.environment == .dev)
        #expect(flagged.configuration.environmentSource == "--env")
        let klaxonEnv = try SettingsResolver.resolve(configPath: path, processEnvironment: variables)
        #expect(klaxonEnv.configuration.environment == .staging)
        #expect(klaxonEnv.configuration.environmentSource == "KLAXON_ENV")
        let appEnv = try SettingsResolver.resolve(configPath: path, processEnvironment: ["APP_ENV": "dev"])
        #expect(appEnv.configuration.environmentSource == "APP_ENV")
        let fileOnly = try SettingsResolver.resolve(configPath: path, processEnvironment: ["KLAXON_ENV": ""])
        #expect(fileOnly.configuration.environment == .prod)
        #expect(fileOnly.configuration.environmentSource == "config")
        let defaults = try SettingsResolver.resolve(configPath: nil, processEnvironment: [:])
        #expect(defaults.configuration.environment == .dev)
        #expect(defaults.configuration.environmentSource == "default")
    }

    @Test func aBadEnvironmentVariableWithoutAFileNamesTheVariable() {
        #expect {
            try SettingsResolver.resolve(configPath: nil, processEnvironment: ["APP_ENV": "production"])
        } throws: { error in
            (error as? SettingsError)?.description.contains("APP_ENV='production'") == true
        }
    }

    /// `--data` moves the SQLite file as `data_dir` does; an explicit `store.url` stays.
    @Test func theDataFlagMovesTheDatabaseUnlessAStoreURLIsSet() throws {
        let moved = try SettingsResolver.resolve(
            configPath: try file("data_dir: /srv/a\n"), processEnvironment: [:],
            overrides: SettingOverrides(dataDirectory: "/srv/b/"))
        #expect(moved.configuration.store.kind == .sqlite(path: "/srv/b/klaxon.db"))
        let noFile = try SettingsResolver.resolve(
            configPath: nil, processEnvironment: [:], overrides: SettingOverrides(dataDirectory: "/srv/c"))
        #expect(noFile.configuration.store.kind == .sqlite(path: "/srv/c/klaxon.db"))
        let explicit = try SettingsResolver.resolve(
            configPath: try file("store:\n  url: sqlite:/var/lib/k.db\n"), processEnvironment: [:],
            overrides: SettingOverrides(dataDirectory: "/srv/d"))
        #expect(explicit.configuration.store.kind == .sqlite(path: "/var/lib/k.db"))
    }

    @Test func warnIsALevelInTheFileAsOnTheCommandLine() throws {
        let resolved = try SettingsResolver.resolve(
            configPath: try file("log:\n  level: warn\n"), processEnvironment: [:])
        #expect(resolved.configuration.log.level == .warning)
        #expect(LogLevel(parsing: "warn") == .warning)
    }

    @Test func flagsWinOverTheFileForEverySetting() throws {
        let path = try file(
            "server:\n  listen: 0.0.0.0:9000\nlog:\n  level: error\n  format: json\nexternal_url: https://a.example/\n")
        let overrides = SettingOverrides(
            listen: HostPort(host: "127.0.0.1", port: 9100), logLevel: .debug, logFormat: .logfmt,
            externalURL: "https://b.example")
        let resolved = try SettingsResolver.resolve(configPath: path, processEnvironment: [:], overrides: overrides)
        #expect(resolved.configuration.server.listen == HostPort(host: "127.0.0.1", port: 9100))
        #expect(resolved.configuration.log.level == .debug)
        #expect(resolved.configuration.log.format == .logfmt)
        #expect(resolved.externalURL == "https://b.example")
        let fileOnly = try SettingsResolver.resolve(configPath: path, processEnvironment: [:])
        #expect(fileOnly.externalURL == "https://a.example")
    }

    /// As Prometheus: `http://<hostname>:<listen port>` when nothing sets it.
    @Test func theExternalURLDefaultsToTheHostnameAndListenPort() throws {
        let resolved = try SettingsResolver.resolve(
            configPath: nil, processEnvironment: [:],
            overrides: SettingOverrides(listen: HostPort(host: "", port: 9500)),
            hostname: "engine-7")
        #expect(resolved.externalURL == "http://engine-7:9500")
    }

    @Test(arguments: [
        ("ftp://x.example", "must start with http:// or https://"),
        ("https://", "has no host"),
        ("https://x.example/?a=1", "may not have a query or a fragment"),
    ])
    func aBadExternalURLInTheFileNamesTheKey(url: String, reason: String) throws {
        #expect {
            try SettingsResolver.resolve(configPath: try file("external_url: '\(url)'\n"), processEnvironment: [:])
        } throws: { error in
            (error as? SettingsError)?.description.contains("external_url: \"\(url)\" \(reason)") == true
        }
    }
}
