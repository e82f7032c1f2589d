/// What the gate shows on a pull request: a check run's conclusion, title and summary, or a commit status's
/// state and one-line description — the same words either way, from the gate's status.
public struct ForgeCheck: Sendable, Equatable {
    public enum Conclusion: String, Sendable {
        /// Every requirement is met: the check passes.
        case success
        /// Approvals are missing: a check run asks for action, a commit status stays pending.
        case actionRequired = "action_required"
        /// Denied or rejected, or the range could not be analysed.
        case failure
        /// The analysis is under way.
        case pending
    }

    /// The commit the check is reported on.
    public var head: String
    public var conclusion: Conclusion
    public var title: String
    /// One line, within the 140 characters commit statuses allow.
    public var description: String
    /// Markdown: the gate, who did not count and why, stale approvals, then the analysis.
    public var summary: String
    public var annotations: [ForgeAnnotation]
    /// Where the change is seen on the control plane.
    public var detailsURL: String?

    /// Commit statuses allow 140 characters of description.
    public static let descriptionLimit = 140
    /// Check runs allow 65,535 characters of summary.
    public static let summaryLimit = 65_535

    public init(
        head: String, conclusion: Conclusion, title: String, description: String? = nil, summary: String,
        annotations: [ForgeAnnotation] = [], detailsURL: String? = nil
    ) {
        self.head = head
        self.conclusion = conclusion
        self.title = title
        self.description = Self.clipped(description ?? title, to: Self.descriptionLimit)
        self.summary = Self.clipped(summary, to: Self.summaryLimit)
        self.annotations = annotations
        self.detailsURL = detailsURL
    }

    /// While the server analyses the head.
    public static func analysing(head: String, reason: String, detailsURL: String? = nil) -> ForgeCheck {
        ForgeCheck(
            head: head, conclusion: .pending, title: "Blastwall: analysing", description: "pending: \(reason)",
            summary: "The gate is pending: \(reason).", detailsURL: detailsURL)
    }

    /// The range could not be analysed (its policy does not load, a commit is missing): the gate fails closed.
    public static func unanalysable(head: String, reason: String, detailsURL: String? = nil) -> ForgeCheck {
        ForgeCheck(
            head: head, conclusion: .failure, title: "Blastwall: cannot analyse this change",
            summary: "The gate fails closed until the change can be analysed:\n\n\(reason)\n", detailsURL: detailsURL)
    }

    /// An approval that stopped counting at a new head, and the files that made it stale.
    public struct StaleApproval: Sendable, Equatable {
        public var login: String
        public var commit: String
        public var files: [String]

        public init(login: String, commit: String, files: [String]) {
            self.login = login
            self.commit = commit
            self.files = files
        }

        /// The message said on the pull request, and sent with a dismissal.
        public var message: String {
            guard !files.isEmpty else {
                return "Blastwall: the approval by \(login) was given on \(commit.prefix(12)), which the pull request no longer "
                    + "contains (a force-push); what it approved is unknown. Approve the new head to count again."
            }
            let shown = files.prefix(10).map { "`\($0)`" }.joined(separator: ", ")
            let more = files.count > 10 ? " and \(files.count - 10) more" : ""
            return "Blastwall: the approval by \(login) on \(commit.prefix(12)) is stale: \(shown)\(more) changed since, "
                + "in the reviewer's area. Approve the new head to count again."
        }
    }

    /// The gate's verdict on the head, with everything a reviewer needs to see why.
    public static func gate(
        _ status: GateStatus, head: String, ignored: [ForgeReviewCounting.Ignored], stale: [StaleApproval], analysis: String?,
        annotations: [ForgeAnnotation], detailsURL: String?
    ) -> ForgeCheck {
        let conclusion: Conclusion =
            switch status.state {
            case .satisfied: .success
            case .pending: .actionRequired
            case .denied, .rejected: .failure
            }
        let verdict =
            switch status.state {
            case .satisfied: "satisfied"
            case .pending: "pending"
            case .denied: "denied"
            case .rejected: "rejected"
            }
        let title = "Blastwall: \(verdict) — \(status.summary)"
        var summary = "### Gate: \(verdict)\n\n\(markdownEscaped(status.summary.prefix(1).uppercased() + status.summary.dropFirst())).\n\n"
        if !status.missing.isEmpty {
            summary += "**Still needed:**\n\n" + status.missing.map { "- \(markdownEscaped($0))\n" }.joined() + "\n"
        }
        if !status.countedApprovers.isEmpty {
            summary += "**Counted approvals:** \(status.countedApprovers.map(markdownEscaped).joined(separator: ", "))\n\n"
        }
        if !stale.isEmpty {
            summary += "**Stale approvals:**\n\n" + stale.map { "- \(markdownEscaped($0.message))\n" }.joined() + "\n"
        }
        if !ignored.isEmpty {
            summary += "**Not counted:**\n\n" + ignored.map { "- \(markdownEscaped($0.reason))\n" }.joined() + "\n"
        }
        if let analysis { summary += "---\n\n" + analysis }
        return ForgeCheck(
            head: head, conclusion: conclusion, title: clipped(title, to: 255), description: "\(verdict): \(status.summary)",
            summary: summary, annotations: annotations, detailsURL: detailsURL)
    }

    static func clipped(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    /// Names and paths shown in Markdown, so that a login such as `*bot*` is not read as emphasis.
    static func markdownEscaped(_ text: some StringProtocol) -> String {
        var out = ""
        for character in text {
            if "\\*_[]<>|#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

/// A finding placed on a line of a file in the pull request's diff.
public struct ForgeAnnotation: Sendable, Equatable {
    public enum Level: String, Sendable {
        case notice, warning, failure
    }

    public var path: String
    public var line: Int
    public var level: Level
    public var title: String
    public var message: String

    public init(path: String, line: Int, level: Level, title: String, message: String) {
        self.path = path
        self.line = line
        self.level = level
        self.title = title
        self.message = message
    }

    public var json: JSONValue {
        .object([
            ("path", .string(path)), ("line", .int(Int64(line))), ("level", .string(level.rawValue)), ("title", .string(title)),
            ("message", .string(message)),
        ])
    }

    public init?(json: JSONValue) {
        guard let path = json["path"]?.stringValue, let line = json["line"]?.intValue,
            let level = json["level"]?.stringValue.flatMap(Level.init(rawValue:)), let message = json["message"]?.stringValue
        else { return nil }
        self.init(path: path, line: line, level: level, title: json["title"]?.stringValue ?? "", message: message)
    }
}
