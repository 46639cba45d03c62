import Foundation
import KlaxonConfig
import KlaxonServer
import KlaxonTestSupport
import Testing

@Suite struct ServerSettingsTests {
    private func configFile(_ text: String) throws -> String {
        let file = try PeerDirectories.make(for: "settings").appendingPathComponent("klaxon.yml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func withoutConfigTheDefaultsApply() throws {
        let settings = try ServerSettings.resolve(options: ServeOptions(), processEnvironment: [:])
        #expect(settings.listenDescription == "127.0.0.1:9477")
        #expect(settings.configuration.dataDirectory == "./data")
        #expect(settings.configuration.environment == .dev)
        #expect(settings.environmentSource == "default")
        #expect(settings.configPath == nil)
    }

    @Test func flagsOverrideTheConfigFile() throws {
        let path = try configFile(
            "server:\n  listen: 0.0.0.0:9000\ndata_dir: /var/lib/klaxon\nenvironment: prod\nlog:\n  format: json\n")
        let fileOnly = try ServerSettings.resolve(options: ServeOptions(configPath: path), processEnvironment: [:])
        #expect(fileOnly.listenDescription == "0.0.0.0:9000")
        #expect(fileOnly.configuration.environment == .prod)
        #expect(fileOnly.environmentSource == "config")
        #expect(fileOnly.configuration.log.format == .json)

        let options = ServeOptions(
            configPath: path, listen: HostPort(host: "127.0.0.1", port: 9100), dataDirectory: "/tmp/k",
            environment: .staging, logFormat: .logfmt, logLevel: .debug)
        let flagged = try ServerSettings.resolve(options: options, processEnvironment: ["KLAXON_ENV": "dev"])
        #expect(flagged.listenDescription == "127.0.0.1:9100")
        #expect(flagged.configuration.dataDirectory == "/tmp/k")
        #expect(flagged.configuration.environment == .staging)
        #expect(flagged.environmentSource == "--env")
        #expect(flagged.configuration.log.format == .logfmt)
        #expect(flagged.configuration.log.level == .debug)
    }

    @Test func environmentVariablesBeatTheFileAndKlaxonEnvBeatsAppEnv() throws {
        let path = try configFile("environment: prod\n")
        let both = try ServerSettings.resolve(
            options: ServeOptions(configPath: path), processEnvironment: ["KLAXON_ENV": "staging", "APP_ENV": "dev"])
        #expect(both.configuration.environment == .staging)
        #expect(both.environmentSource == "KLAXON_ENV")
        let app = try ServerSettings.resolve(
            options: ServeOptions(configPath: path), processEnvironment: ["APP_ENV": "dev"])
        #expect(app.configuration.environment == .dev)
        #expect(app.environmentSource == "APP_ENV")
    }

    @Test func anInvalidFileReportsEveryProblem() throws {
        let path = try configFile("server:\n  listen: nowhere\nretention: 5\n")
        #expect {
            try ServerSettings.resolve(options: ServeOptions(configPath: path), processEnvironment: [:])
        } throws: { error in
            guard case .configuration(let problems) = error as? ServerSettingsError else { return false }
            return problems.errors.count == 2 && problems.errors.allSatisfy { $0.file == path }
        }
    }

    @Test func storeIsSizedFromRetentionWithBoundedSamplesPerSeries() {
        var configuration = KlaxonConfiguration.builtIn
        let defaults = KlaxonServer.storeOptions(for: configuration)
        #expect(defaults.retention == 3_600_000)
        #expect(defaults.maxSamplesPerSeries == 3_600)
        #expect(defaults.maxSeries == 100_000)
        configuration.ingest.retentionMilliseconds = 30 * 86_400_000
        #expect(KlaxonServer.storeOptions(for: configuration).maxSamplesPerSeries == 86_400)
        configuration.ingest.retentionMilliseconds = 10_000
        #expect(KlaxonServer.storeOptions(for: configuration).maxSamplesPerSeries == 60)
    }

    @Test func httpLimitsComeFromTheServerSection() {
        var configuration = KlaxonConfiguration.builtIn
        configuration.server.readTimeoutMilliseconds = 1_500
        configuration.server.maxBodyBytes = 1 << 16
        configuration.server.listen = HostPort(host: "", port: 9000)
        let http = KlaxonServer.httpConfiguration(for: configuration, clock: ManualWallClock())
        #expect(http.requestReadTimeout == .milliseconds(1_500))
        #expect(http.limits.maxBodyBytes == 1 << 16)
        #expect(http.host == "0.0.0.0")
        #expect(http.port == 9000)
    }
}
