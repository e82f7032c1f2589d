import PropertyBased
import Testing

@testable import BlastwallCore

/// `blastwall init` from CODEOWNERS: every file keeps the owners CODEOWNERS gives it, and what is not carried
/// over is said.
@Suite struct CodeownersImportTests {
    static let codeowners = """
        # Default owners
        *                       @acme/platform
        *.js                    @acme/web
        Makefile                @acme/build
        tsconfig.*              @acme/web
        /services/payments/     @acme/payments @acme/sre
        apps/web/               @acme/web
        /docs/                  @acme/docs
        /docs/generated/
        /ops/runbook\\ notes/   @acme/sre

        """

    /// Loads the starter file `init` writes, with the CODEOWNERS it names, as `check` would.
    static func analyzer(_ text: String, files: [String]) throws -> (ChangeAnalyzer, CodeownersImport, Codeowners) {
        let imported = CodeownersImport(codeowners: text, path: ".github/CODEOWNERS", files: files)
        let yaml = StarterConfiguration.render(codeownersPath: ".github/CODEOWNERS", imported: imported, topLevelDirectories: [])
        var (configuration, _) = try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml")
        let codeowners = try Codeowners(text: text, path: ".github/CODEOWNERS")
        configuration.codeowners = codeowners
        return (ChangeAnalyzer(configuration: configuration), imported, codeowners)
    }

    static let files = [
        "README.md", "web/app.js", "Makefile", "tools/Makefile", "tsconfig.json", "services/payments/api.swift",
        "services/payments/ui.js", "apps/web/index.html", "docs/guide.md", "docs/generated/api.md", "ops/runbook notes/x.md",
    ]

    @Test func everyRuleWithOwnersIsImportedGlobsAndBareNamesToo() throws {
        let (analyzer, imported, codeowners) = try Self.analyzer(Self.codeowners, files: Self.files)
        #expect(imported.ruleCount == 9)
        #expect(imported.importedRuleCount == 8, "\(imported.notes)")
        #expect(imported.services.map(\.name).sorted() == ["build", "docs", "payments-sre", "platform", "sre", "web"])
        #expect(imported.services.first { $0.name == "web" }?.paths == ["*.js", "tsconfig.*", "apps/web/"])
        #expect(imported.services.first { $0.name == "sre" }?.paths == ["/ops/runbook notes/"])
        #expect(imported.notes.contains { $0.hasPrefix(".github/CODEOWNERS:9: `/docs/generated/` names no owners") }, "\(imported.notes)")
        for file in Self.files {
            let service = analyzer.service(of: file)?.service
            #expect(analyzer.owners(of: file, service: service) == codeowners.owners(of: file)?.owners ?? [], "\(file)")
            #expect(service != nil, "\(file) is in a service")
        }
        // The last matching line decides the service too: ui.js is payments', not web's.
        #expect(analyzer.service(of: "services/payments/ui.js")?.service.name == "payments-sre")
        #expect(analyzer.service(of: "web/app.js")?.service.name == "web")
        #expect(analyzer.service(of: "README.md")?.service.name == "platform")
    }

    @Test func aPatternThatCannotBeReadIsSaid() {
        let imported = CodeownersImport(codeowners: "* @a\n/vendor/[abc]/ @b\n", path: "CODEOWNERS", files: [])
        #expect(imported.importedRuleCount == 1)
        #expect(imported.notes.count == 1)
        #expect(imported.notes.first?.hasPrefix("CODEOWNERS:2: `/vendor/[abc]/` is not imported: ") == true, "\(imported.notes)")
    }

    @Test func crlfAndEscapedSpacesAreRead() throws {
        let codeowners = try Codeowners(text: "/a/ @x\r\n/b\\ c/ @y\r\n", path: "CODEOWNERS")
        #expect(codeowners.owners(of: "a/f")?.owners == ["@x"])
        #expect(codeowners.owners(of: "b c/f")?.owners == ["@y"])
    }

    static let ownerSets: [[String]] = [["@acme/a"], ["@acme/b"], ["@acme/a", "@acme/b"], []]

    /// Varied CODEOWNERS files and paths: every path resolves to the owners CODEOWNERS gives it, and lands in
    /// the service of its winning line unless a note says some files do not.
    @Test func ownersAlwaysAgreeWithCODEOWNERS() async {
        let line = zip(PathPatternTests.patternGenerator, Gen<Int>.int(in: 0...3))
        await propertyCheck(count: 400, input: line.array(of: 1...10), PathPatternTests.pathGenerator.array(of: 1...8)) { lines, paths in
            let text = lines.map { pattern, owners in ([pattern] + Self.ownerSets[owners]).joined(separator: " ") }.joined(separator: "\n")
            guard let (analyzer, imported, codeowners) = try? Self.analyzer(text, files: paths) else {
                Issue.record("the starter file for \(text) does not load")
                return
            }
            let misplacedSaid = imported.notes.contains { $0.contains("count in another service") }
            for path in paths {
                let service = analyzer.service(of: path)?.service
                #expect(analyzer.owners(of: path, service: service) == codeowners.owners(of: path)?.owners ?? [], "\(text) | \(path)")
                if let winner = codeowners.owners(of: path), !winner.owners.isEmpty, !misplacedSaid {
                    let owners = imported.services.first { $0.name == service?.name }?.owners
                    #expect(owners == winner.owners, "\(text) | \(path) is in \(service?.name ?? "no service")")
                }
            }
        }
    }
}
