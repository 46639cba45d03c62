import KlaxonConfig
import KlaxonNotifiers

/// What `klaxon demo` prints when it starts: what runs and where to look.
package enum DemoBanner {
    package static func text(settings: ServerSettings, port: Int?, demo: DemoOptions) -> String {
        let listen = settings.configuration.server.listen
        let host = listen.host.isEmpty || listen.host == "0.0.0.0" ? "127.0.0.1" : listen.host
        let base = "http://\(HostPort(host: host, port: port ?? listen.port))"
        let every = demo.everyMilliseconds / 1000
        let first = demo.incident ?? DemoIncident.all.first?.name ?? ""
        return """
            Klaxon demo at \(base)
              A synthetic trading engine pushes every KPI each second; the rule pack runs on each push.
              Incidents: \(demo.incident == nil ? "the first, \(first), starts in \(every)s" : "\(first) now");
              then one every \(every)s. Notifications print below (receiver "\(ConsoleNotifier.receiverName)").
              Data: \(settings.configuration.dataDirectory)

              \(base)/                            the status page: alerts, charts, ack and silence
              \(base)/metrics                     every series, for Prometheus
              \(base)/api/v1/query?query=ALERTS   PromQL over what Klaxon holds
              \(base)/api/v1/alerts               active alerts (klaxon alerts --url \(base))
              \(base)/api/v1/alerts/history       the audit trail (klaxon history --url \(base))
              POST \(base)/api/v1/demo/incidents/NAME   inject one now (GET lists the names)


            """
    }
}
