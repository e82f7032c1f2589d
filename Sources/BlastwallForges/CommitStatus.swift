import BlastwallCore

/// The commit status `blastwall/gate`, in the shape GitHub's statuses API defines and Gitea's copies.
enum CommitStatus {
    static let context = "blastwall/gate"

    static func body(_ check: ForgeCheck) -> JSONValue {
        let state =
            switch check.conclusion {
            case .success: "success"
            case .failure: "failure"
            case .actionRequired, .pending: "pending"
            }
        var body: [(String, JSONValue)] = [
            ("state", .string(state)), ("context", .string(context)), ("description", .string(check.description)),
        ]
        if let url = check.detailsURL { body.append(("target_url", .string(url))) }
        return .object(body)
    }
}
