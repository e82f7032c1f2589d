/// Services for a starter configuration, read from a CODEOWNERS file so that nothing it says is lost.
///
/// Every rule line with owners is carried over, globs and bare names included. Lines with the same owners make
/// one service (approvals ask one owner of each touched service, as CODEOWNERS asks one owner of each file).
/// The services name no owners of their own: owners keep coming from CODEOWNERS, so every file resolves to
/// exactly the owners CODEOWNERS gives it. Services are ordered so that each of the repository's files falls in
/// the service of the CODEOWNERS line that wins for it; what cannot be carried over is said, never dropped.
public struct CodeownersImport: Sendable {
    public struct Service: Sendable, Equatable {
        public var name: String
        /// CODEOWNERS patterns, in file order.
        public var paths: [String]
        /// The owners CODEOWNERS gives these paths (for the comment; the file stays the source).
        public var owners: [String]
    }

    public private(set) var services: [Service] = []
    /// What was not carried over, or not exactly, each naming its CODEOWNERS line.
    public private(set) var notes: [String] = []
    public private(set) var ruleCount = 0
    public private(set) var importedRuleCount = 0

    /// - Parameter files: the repository's files, to order the services by; a line no file matches still imports.
    public init(codeowners text: String, path: String, files: [String]) {
        let lines = Codeowners.lines(of: text)
        ruleCount = lines.count
        var groupOfOwners: [[String]: Int] = [:]
        var groups: [(owners: [String], lines: [Codeowners.Line])] = []
        var rules = PathRuleSet<Int>()
        var groupOfLine: [Int: Int] = [:]
        for line in lines {
            let parsed: PathPattern
            switch line.parsed {
            case .success(let pattern): parsed = pattern
            case .failure(let problem):
                notes.append("\(path):\(line.line): `\(line.pattern)` is not imported: \(problem.description)")
                continue
            }
            guard !line.owners.isEmpty else {
                notes.append(
                    "\(path):\(line.line): `\(line.pattern)` names no owners, so the files it matches have none; it is not a service")
                continue
            }
            let key = line.owners.sorted()
            let group = groupOfOwners[key] ?? groups.count
            if group == groups.count {
                groupOfOwners[key] = group
                groups.append((line.owners, []))
            }
            groups[group].lines.append(line)
            groupOfLine[line.line] = group
            rules.append(parsed, line.line)
            importedRuleCount += 1
        }

        // A file's winning line must belong to the last of the services that match it.
        var everyLine = PathRuleSet<Int>()
        for line in lines { if case .success(let parsed) = line.parsed { everyLine.append(parsed, line.line) } }
        var mustPrecede: [Set<Int>] = Array(repeating: [], count: groups.count)
        var winners: [(file: String, group: Int?)] = []
        for file in files {
            let segments = PathSegments(file)
            let matches = rules.allMatches(in: segments).map(\.payload)
            // The last matching line wins, with or without owners.
            guard let winner = everyLine.lastMatch(in: segments)?.rule.payload else { continue }
            let winnerGroup = groupOfLine[winner]
            winners.append((file, winnerGroup))
            guard let winnerGroup else { continue }
            for line in matches where groupOfLine[line] != winnerGroup {
                if let group = groupOfLine[line] { mustPrecede[winnerGroup].insert(group) }
            }
        }
        let order = Self.order(groups.count, mustPrecede: mustPrecede)
        let names = Self.names(for: groups.map(\.owners))
        services = order.map { group in
            Service(name: names[group], paths: groups[group].lines.map(\.pattern), owners: groups[group].owners)
        }

        // Where the order could not satisfy every file (lines of two owner sets that each win some file over
        // the other), say which files land elsewhere.
        var rulesInOrder = PathRuleSet<Int>()
        var positionOfGroup = Array(repeating: 0, count: groups.count)
        for (position, group) in order.enumerated() {
            positionOfGroup[group] = position
            for line in groups[group].lines { if case .success(let parsed) = line.parsed { rulesInOrder.append(parsed, position) } }
        }
        var misplaced: [Int: [String]] = [:]
        for (file, group) in winners {
            guard let group else { continue }
            let position = positionOfGroup[group]
            if let landed = rulesInOrder.lastMatch(for: file)?.rule.payload, landed != position {
                misplaced[position, default: []].append(file)
            }
        }
        for (position, files) in misplaced.sorted(by: { $0.key < $1.key }) {
            let example = files.prefix(3).joined(separator: ", ")
            notes.append(
                "\(files.count) file(s) owned by service `\(services[position].name)` in CODEOWNERS count in another service here "
                    + "(\(example)); their owners still come from CODEOWNERS. Move their patterns to the service that should hold them")
        }
    }

    /// Services in an order where every group comes after those it must follow, keeping the CODEOWNERS order
    /// otherwise; a cycle is broken at its earliest group.
    private static func order(_ count: Int, mustPrecede: [Set<Int>]) -> [Int] {
        var placed: [Int] = []
        var isPlaced = Array(repeating: false, count: count)
        while placed.count < count {
            let ready = (0..<count).first { group in !isPlaced[group] && mustPrecede[group].allSatisfy { isPlaced[$0] } }
            let next = ready ?? (0..<count).first { !isPlaced[$0] }!
            isPlaced[next] = true
            placed.append(next)
        }
        return placed
    }

    /// A name for each owner set: `@acme/payments-team` → `payments-team`, `@alice` → `alice`, two owners joined;
    /// unique, with `-2`, `-3` … when two sets would share one.
    private static func names(for ownerSets: [[String]]) -> [String] {
        var used: Set<String> = []
        return ownerSets.map { owners in
            let parts = owners.prefix(2).map { owner -> String in
                var name = owner.hasPrefix("@") ? String(owner.dropFirst()) : owner
                if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
                if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
                return StarterConfiguration.serviceName(name)
            }
            var base = parts.filter { !$0.isEmpty }.joined(separator: "-")
            if owners.count > 2 { base += "-and-\(owners.count - 2)-more" }
            if base.isEmpty { base = "service" }
            var name = base
            var suffix = 2
            while used.contains(name) {
                name = "\(base)-\(suffix)"
                suffix += 1
            }
            used.insert(name)
            return name
        }
    }
}
