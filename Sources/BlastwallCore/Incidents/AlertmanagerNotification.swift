import CEL

/// Alertmanager's webhook notification (payload version 4), as much of it as incidents use. Unknown fields
/// and labels are kept or ignored, never refused: Alertmanager drops a notification answered with 4xx, so
/// only one that cannot be read at all is.
public struct AlertmanagerNotification: Sendable, Equatable {
    public struct Alert: Sendable, Equatable {
        public var status: Status
        public var fingerprint: String
        public var labels: [String: String]
        public var annotations: [String: String]
        public var startsAt: Timestamp
        /// Nil while firing (Alertmanager sends the zero time `0001-01-01T00:00:00Z`).
        public var endsAt: Timestamp?
        public var generatorURL: String?
    }

    public enum Status: String, Sendable {
        case firing, resolved
    }

    public var status: Status
    public var groupKey: String
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    public var alerts: [Alert]
    /// Alerts Alertmanager left out for `max_alerts`.
    public var truncatedAlerts: Int
    public var externalURL: String?

    /// Why a notification cannot be read, said in the 400 answer.
    public struct Unreadable: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws(Unreadable) -> AlertmanagerNotification {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw Unreadable(description: "the notification is not JSON: \(error.description)")
        }
        guard case .object = json else { throw Unreadable(description: "the notification must be a JSON object") }
        if let version = json["version"]?.stringValue, version != "4" {
            throw Unreadable(description: "payload version \(version) is not Alertmanager's version 4")
        }
        guard let groupKey = json["groupKey"]?.stringValue, !groupKey.isEmpty else {
            throw Unreadable(description: "'groupKey' is missing: it names the incident an alert group belongs to")
        }
        guard let items = json["alerts"]?.arrayValue else { throw Unreadable(description: "'alerts' must be a list") }
        var alerts: [Alert] = []
        for (index, item) in items.enumerated() {
            let field = "alerts[\(index)]"
            guard let startText = item["startsAt"]?.stringValue, let startsAt = Timestamp(rfc3339: startText) else {
                throw Unreadable(description: "\(field).startsAt must be an RFC 3339 time")
            }
            let labels = strings(item["labels"])
            // Alertmanager always sends a fingerprint; one made from the labels stands in when a sender omits it.
            let fingerprint =
                item["fingerprint"]?.stringValue
                ?? labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let endsAt = item["endsAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:)).flatMap { $0.secondsSinceEpoch > 0 ? $0 : nil }
            alerts.append(
                Alert(
                    status: Status(rawValue: item["status"]?.stringValue ?? "") ?? (endsAt == nil ? .firing : .resolved),
                    fingerprint: fingerprint, labels: labels, annotations: strings(item["annotations"]), startsAt: startsAt,
                    endsAt: endsAt, generatorURL: item["generatorURL"]?.stringValue))
        }
        return AlertmanagerNotification(
            status: Status(rawValue: json["status"]?.stringValue ?? "")
                ?? (alerts.allSatisfy { $0.status == .resolved } ? .resolved : .firing),
            groupKey: groupKey, commonLabels: strings(json["commonLabels"]), commonAnnotations: strings(json["commonAnnotations"]),
            alerts: alerts, truncatedAlerts: json["truncatedAlerts"]?.intValue ?? 0, externalURL: json["externalURL"]?.stringValue)
    }

    /// A label map; values that are not strings are left out.
    static func strings(_ value: JSONValue?) -> [String: String] {
        guard case .object(let members)? = value else { return [:] }
        var map: [String: String] = [:]
        for (key, value) in members { if let text = value.stringValue { map[key] = text } }
        return map
    }

    /// The first of `labels` an alert or the group carries: the service the incident is on.
    public func label(_ names: [String]) -> String? {
        for name in names {
            if let value = commonLabels[name] { return value }
            if let value = alerts.lazy.compactMap({ $0.labels[name] }).first { return value }
        }
        return nil
    }
}

/// The alerts of one incident, deduplicated by fingerprint and start: each firing instance once, and a
/// resolution never undone by a late or repeated firing notification of the same instance.
public struct IncidentAlerts: Sendable, Equatable {
    public struct Instance: Sendable, Equatable {
        public var fingerprint: String
        public var startsAt: Timestamp
        public var endsAt: Timestamp?
        public var isFiring: Bool
        public var labels: [String: String]
        public var summary: String?
    }

    public private(set) var instances: [Instance]

    public init(_ instances: [Instance] = []) {
        self.instances = instances
    }

    /// Takes a notification in; returns whether anything changed.
    @discardableResult
    public mutating func merge(_ notification: AlertmanagerNotification) -> Bool {
        var changed = false
        // By fingerprint and start, so that a group of many alerts is merged in linear time.
        var indices: [String: Int] = [:]
        for (index, instance) in instances.enumerated() { indices[Self.key(instance.fingerprint, instance.startsAt)] = index }
        for alert in notification.alerts {
            let summary = alert.annotations["summary"] ?? alert.annotations["description"]
            let key = Self.key(alert.fingerprint, alert.startsAt)
            if let index = indices[key] {
                // Resolved stays resolved: Alertmanager may deliver an older firing notification after the resolution.
                if alert.status == .resolved, instances[index].isFiring {
                    instances[index].isFiring = false
                    instances[index].endsAt = alert.endsAt ?? alert.startsAt
                    changed = true
                }
                continue
            }
            indices[key] = instances.count
            instances.append(
                Instance(
                    fingerprint: alert.fingerprint, startsAt: alert.startsAt,
                    endsAt: alert.status == .resolved ? (alert.endsAt ?? alert.startsAt) : nil, isFiring: alert.status == .firing,
                    labels: alert.labels, summary: summary))
            changed = true
        }
        return changed
    }

    /// An alert instance's identity: its fingerprint and start.
    public static func key(_ fingerprint: String, _ startsAt: Timestamp) -> String { "\(fingerprint)\u{0}\(startsAt.nanoseconds)" }

    public var isFiring: Bool { instances.contains(where: \.isFiring) }
    /// When the first alert began: the incident's start.
    public var startedAt: Timestamp? { instances.map(\.startsAt).min() }
    /// When the last alert ended, once none fires: the time of restore.
    public var resolvedAt: Timestamp? { isFiring || instances.isEmpty ? nil : instances.compactMap(\.endsAt).max() }
}

extension IncidentAlerts {
    /// As stored with the incident and shown by the API.
    public var json: JSONValue {
        .array(
            instances.map { instance in
                .object([
                    ("fingerprint", .string(instance.fingerprint)), ("starts_at", .string(instance.startsAt.rfc3339)),
                    ("ends_at", instance.endsAt.map { .string($0.rfc3339) } ?? .null), ("firing", .bool(instance.isFiring)),
                    ("labels", .object(instance.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                    ("summary", instance.summary.map(JSONValue.string) ?? .null),
                ])
            })
    }

    public init(json: JSONValue) {
        self.init(
            (json.arrayValue ?? []).compactMap { item in
                guard let fingerprint = item["fingerprint"]?.stringValue,
                    let startsAt = item["starts_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
                else { return nil }
                return Instance(
                    fingerprint: fingerprint, startsAt: startsAt, endsAt: item["ends_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
                    isFiring: item["firing"] == .bool(true), labels: AlertmanagerNotification.strings(item["labels"]),
                    summary: item["summary"]?.stringValue)
            })
    }
}
