import BlastwallCore
import BlastwallStorage
import CEL

/// Freezes in force with their end and exit condition, and the kill switches with a flip that must say why.
public struct SwitchesPage {
    public var freezes: [FreezeRecord]
    /// The freezes of the server's `blastwall.yml` that have not ended.
    public var configured: [Freeze]
    public var switches: [KillSwitch]
    public var csrf: String
    public var mayFlip: Bool
    public var mayLift: Bool
    public var now: Timestamp

    public init(
        freezes: [FreezeRecord], configured: [Freeze] = [], switches: [KillSwitch], csrf: String, mayFlip: Bool, mayLift: Bool,
        now: Timestamp
    ) {
        self.freezes = freezes
        self.configured = configured
        self.switches = switches
        self.csrf = csrf
        self.mayFlip = mayFlip
        self.mayLift = mayLift
        self.now = now
    }

    public var view: [String: Any] {
        let freezes = freezes.map { freeze -> [String: Any] in
            [
                "id": freeze.id, "name": freeze.name, "reason": freeze.reason, "until": freeze.until,
                "from": freeze.from ?? "", "services": freeze.services.isEmpty ? "every service" : freeze.services.joined(separator: ", "),
                "condition": freeze.condition ?? "", "createdBy": freeze.createdBy,
                "override": Self.override(freeze.override),
            ]
        }
        let configured = configured.filter { $0.until > now }.map { freeze -> [String: Any] in
            [
                "name": freeze.name, "reason": freeze.reason, "until": freeze.until.rfc3339, "from": freeze.from?.rfc3339 ?? "",
                "services": freeze.condition == nil ? "every service" : "changes it matches", "condition": freeze.condition?.source ?? "",
                "createdBy": "blastwall.yml",
                "override": counted(freeze.override.approvals, "approval")
                    + (freeze.override.groups.isEmpty
                        ? "" : " from " + freeze.override.groups.keys.sorted().joined(separator: ", ")),
                "configured": true,
            ]
        }
        let switches = switches.map { item -> [String: Any] in
            [
                "name": item.name, "enabled": item.enabled, "state": item.enabled ? "on" : "off", "reason": item.reason ?? "",
                "updatedBy": item.updatedBy, "age": ChangeFacts.age(item.updatedAt, now: now), "updatedAt": item.updatedAt,
                "flipTo": item.enabled ? "off" : "on", "flipLabel": item.enabled ? "Turn off" : "Turn on",
            ]
        }
        return [
            "csrf": csrf, "mayFlip": mayFlip, "mayLift": mayLift,
            "freezes": configured + freezes, "hasFreezes": !(configured.isEmpty && freezes.isEmpty), "switches": switches,
            "hasSwitches": !switches.isEmpty,
        ]
    }

    /// "2 approvals from release-managers": what overrides the freeze.
    static func override(_ requirements: JSONValue) -> String {
        let approvals = requirements["approvals"]?.intValue ?? 2
        let groups = (requirements["groups"]?.arrayValue ?? []).compactMap(\.stringValue)
        return counted(approvals, "approval") + (groups.isEmpty ? "" : " from " + groups.joined(separator: ", "))
    }
}
