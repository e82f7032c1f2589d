import CEL

/// Analyses a change against a configuration: services, classes, provenance, blast radius, risk, policy, decision.
///
/// Building an analyzer compiles the path rules once; `analyze` is then pure and deterministic.
public struct ChangeAnalyzer: Sendable {
    public let configuration: Configuration
    private let configurationWarnings: [Diagnostic]
    private let serviceRules: PathRuleSet<Int>
    private let classPathRules: PathRuleSet<Int>
    private let serviceIndex: [String: Int]
    private let graph: DependencyGraph
    private let detector: ProvenanceDetector
    private let contentScanner: ContentScanner

    /// How many content findings are kept per file; the class is recorded either way.
    static let maxFindingsPerFile = 20

    public init(configuration: Configuration, configurationWarnings: [Diagnostic] = []) {
        self.configuration = configuration
        self.configurationWarnings = configurationWarnings
        var serviceRules = PathRuleSet<Int>()
        for (index, service) in configuration.services.enumerated() {
            for pattern in service.paths { serviceRules.append(pattern, index) }
        }
        var classPathRules = PathRuleSet<Int>()
        for (index, definition) in configuration.classes.enumerated() {
            for pattern in definition.paths { classPathRules.append(pattern, index) }
        }
        self.serviceRules = serviceRules
        self.classPathRules = classPathRules
        serviceIndex = Dictionary(configuration.services.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        graph = DependencyGraph(services: configuration.services)
        detector = ProvenanceDetector(settings: configuration.provenance)
        contentScanner = ContentScanner(classes: configuration.classes)
    }

    /// The service that owns `path` (last matching pattern wins) and the pattern's index among all service rules.
    public func service(of path: String) -> (service: Service, pattern: PathPattern, location: SourceLocation?)? {
        guard let match = serviceRules.lastMatch(for: path) else { return nil }
        let service = configuration.services[match.rule.payload]
        let position = service.paths.firstIndex(of: match.rule.pattern)
        let location = position.flatMap { $0 < service.pathLocations.count ? service.pathLocations[$0] : nil }
        return (service, match.rule.pattern, location)
    }

    /// Classes recognised from a path alone, in configuration order.
    public func classes(ofPath path: String) -> [String] {
        let indices = Set(classPathRules.allMatches(for: path).map(\.payload))
        return indices.sorted().map { configuration.classes[$0].name }
    }

    /// Owners of a path: its service's owners, or else the CODEOWNERS line that matches it.
    public func owners(of path: String, service: Service?) -> [String] {
        if let service, !service.owners.isEmpty { return service.owners }
        return configuration.codeowners?.owners(of: path)?.owners ?? []
    }

    /// What the per-file step found, file by file, kept side by side so that `analyze(files:…)` takes the
    /// reports over without copying them (a large range has tens of thousands).
    public struct AnalyzedFiles: Sendable {
        var reports: [FileReport] = []
        var serviceIndices: [Int?] = []
        /// The service a renamed or copied file came from.
        var previousServiceIndices: [Int?] = []
        var classIndices: [Set<Int>] = []
        /// Each file as policy conditions see it, made here so that a large range does not wait for it at the end.
        var policyValues: [Value] = []

        public init() {}

        public var count: Int { reports.count }
    }

    /// The per-file part of the analysis: service, owners, classes and content findings. It needs no other
    /// file, so it can run while the rest of the diff is still being read.
    public func add(_ change: FileChange, to files: inout AnalyzedFiles) {
        let segments = PathSegments(change.path)
        let serviceIndex = serviceRules.lastMatch(in: segments)?.rule.payload
        var classIndices = Set(classPathRules.allMatches(in: segments).map(\.payload))
        var previousServiceIndex: Int?
        if let oldPath = change.oldPath {
            let oldSegments = PathSegments(oldPath)
            previousServiceIndex = serviceRules.lastMatch(in: oldSegments)?.rule.payload
            classIndices.formUnion(classPathRules.allMatches(in: oldSegments).map(\.payload))
        }
        let findings = contentFindings(change, classes: &classIndices)
        let service = serviceIndex.map { configuration.services[$0] }
        let report = FileReport(
            change: change, service: service?.name, owners: owners(of: change.path, service: service),
            classes: classIndices.sorted().map { configuration.classes[$0].name }, findings: findings)
        files.policyValues.append(PolicyInput.value(of: report))
        files.reports.append(report)
        files.serviceIndices.append(serviceIndex)
        files.previousServiceIndices.append(previousServiceIndex)
        files.classIndices.append(classIndices)
    }

    public func analyze(_ changeSet: ChangeSet, now: Timestamp) -> GateReport {
        var files = AnalyzedFiles()
        for change in changeSet.files { add(change, to: &files) }
        return analyze(files: files, commits: commitReports(changeSet.commits), base: changeSet.base, head: changeSet.head, now: now)
    }

    /// Each commit with its provenance; done apart, while the diff is still being read.
    public func commitReports(_ commits: [Commit]) -> [CommitReport] {
        commits.map { CommitReport(commit: $0, provenance: detector.provenance(of: $0)) }
    }

    /// Combines analysed files with the commits into the report: services, blast radius, provenance, risk, decision.
    public func analyze(files analyzed: consuming AnalyzedFiles, commits: [CommitReport], base: String?, head: String?, now: Timestamp)
        -> GateReport
    {
        var touchedIndices = Set<Int>()
        var serviceFileCounts: [Int: Int] = [:]
        var serviceOwners: [Int: [String]] = [:]
        var classIndices = Set<Int>()
        var unowned: [String] = []
        let files = analyzed.reports
        for index in files.indices {
            // A rename or copy touches the service it leaves, too.
            if let previous = analyzed.previousServiceIndices[index] { touchedIndices.insert(previous) }
            if let service = analyzed.serviceIndices[index] {
                touchedIndices.insert(service)
                serviceFileCounts[service, default: 0] += 1
                if configuration.services[service].owners.isEmpty {
                    serviceOwners[service, default: []].append(contentsOf: files[index].owners)
                }
            } else {
                unowned.append(files[index].change.path)
            }
            classIndices.formUnion(analyzed.classIndices[index])
        }
        let policyValues = analyzed.policyValues

        let touched: [TouchedService] = touchedIndices.sorted().map { index in
            let service = configuration.services[index]
            let owners = service.owners.isEmpty ? Array(Set(serviceOwners[index] ?? [])).sorted() : service.owners
            return TouchedService(name: service.name, tier: service.tier, owners: owners, fileCount: serviceFileCounts[index] ?? 0)
        }
        let classes = classIndices.sorted().map { configuration.classes[$0] }
        let provenance = Provenance.combining(commits.map(\.provenance))
        let blast = BlastRadius(touched: touched.map(\.name), tierOf: tier(of:), graph: graph)
        let risk = RiskModel.score(
            RiskInputs(
                classes: classes.map { ($0.name, $0.risk) }, provenance: provenance.kind, blast: blast,
                linesChanged: files.reduce(0) { $0 + $1.change.linesAdded + $1.change.linesRemoved },
                fileCount: files.count, unownedFileCount: unowned.count))

        let activation = PolicyInput.activation(
            files: files, fileValues: policyValues, commits: commits, provenance: provenance, classes: classes.map(\.name),
            services: touched.map(\.name), unownedFiles: unowned, blast: blast, risk: risk, now: now)
        let policyFiles = files.map(\.change.path).filter(configuration.isPolicyFile)
        let verdict = PolicyEvaluator(configuration: configuration).evaluate(
            activation, now: now, touched: touched, policyFiles: policyFiles)

        return GateReport(
            base: base, head: head, evaluatedAt: now, decision: verdict.decision,
            reasons: verdict.reasons, warnings: verdict.warnings, requirements: verdict.requirements,
            requiredOwners: verdict.requiredOwners, services: touched, blastRadius: blast, classes: classes.map(\.name),
            provenance: provenance, commits: commits, risk: risk, files: files, unownedFiles: unowned,
            matchedRules: verdict.matchedRules, activeFreezes: verdict.activeFreezes,
            configurationWarnings: configurationWarnings)
    }

    private func tier(of service: String) -> Int {
        serviceIndex[service].map { configuration.services[$0].tier } ?? 3
    }

    private func contentFindings(_ change: FileChange, classes: inout Set<Int>) -> [Finding] {
        guard !contentScanner.isEmpty else { return [] }
        var findings: [Finding] = []
        for line in change.addedLines {
            var classesOnLine = Set<Int>()
            for entryIndex in contentScanner.matches(line.text) {
                let entry = contentScanner.entries[entryIndex]
                // One finding per class and line, naming the first pattern that matched.
                guard classesOnLine.insert(entry.classIndex).inserted else { continue }
                classes.insert(entry.classIndex)
                if findings.count < Self.maxFindingsPerFile {
                    findings.append(
                        Finding(className: configuration.classes[entry.classIndex].name, line: line.number, pattern: entry.pattern.source))
                }
            }
        }
        return findings.sorted { ($0.line, $0.className) < ($1.line, $1.className) }
    }
}
