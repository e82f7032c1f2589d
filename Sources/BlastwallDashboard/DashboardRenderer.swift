import Mustache

/// Who is signed in, as the header shows them, and which section the page belongs to.
public struct DashboardChrome: Sendable {
    public enum Section: String, Sendable, CaseIterable {
        case changes, approvals, rollouts, incidents, dora, switches, audit

        var label: String {
            switch self {
            case .changes: "Changes"
            case .approvals: "Waiting"
            case .rollouts: "Rollouts"
            case .incidents: "Incidents"
            case .dora: "DORA"
            case .switches: "Freezes and switches"
            case .audit: "Audit"
            }
        }

        var href: String { "/ui/\(rawValue)" }
    }

    public var name: String
    public var kind: String
    public var role: String
    public var csrf: String
    public var section: Section?

    public init(name: String, kind: String, role: String, csrf: String, section: Section?) {
        self.name = name
        self.kind = kind
        self.role = role
        self.csrf = csrf
        self.section = section
    }
}

/// Renders a page: its template filled from its view, inside the layout. Deterministic, so pages are tested as text.
public struct DashboardRenderer: Sendable {
    let library: MustacheLibrary

    public init() {
        // The templates are the project's own, compiled in: one that does not parse is a bug the tests catch.
        do { library = try DashboardTemplates.library() } catch { fatalError("a dashboard template does not parse: \(error)") }
    }

    public func page(
        _ template: String, title: String, view: [String: Any], chrome: DashboardChrome?, notice: String? = nil
    ) -> String {
        let body = library.render(view, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "body": body]
        if let notice { layout["notice"] = notice }
        if let chrome {
            layout["user"] =
                [
                    "name": chrome.name, "kind": chrome.kind, "role": chrome.role, "csrf": chrome.csrf,
                    "sections": DashboardChrome.Section.allCases.map { section -> [String: Any] in
                        ["href": section.href, "label": section.label, "current": section == chrome.section]
                    },
                ] as [String: Any]
        }
        return library.render(layout, withTemplate: "layout") ?? ""
    }

    /// A page saying what went wrong and where to go from there.
    public func problem(
        heading: String, message: String, back: String = "/ui/", backLabel: String = "Back to the dashboard", chrome: DashboardChrome?
    )
        -> String
    {
        page(
            "problem", title: heading, view: ["heading": heading, "message": message, "back": back, "backLabel": backLabel], chrome: chrome)
    }
}

/// Empty text is no value: `{{#reason}}…{{/reason}}` shows nothing when the reason is "", as templates expect
/// of a field that is not there. (Mustache otherwise counts every string, even "", as present.)
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { isEmpty }
}
