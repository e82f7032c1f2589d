import ArgumentParser
import BlastwallApp
import BlastwallReporting
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a sample repository with a risky AI-assisted change and a human one, and check both.")

    @Option(help: "Where to build the sample repository (default: a new temporary folder).")
    var directory: String?

    func run() async throws {
        let target =
            directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-demo-\(UUID().uuidString.prefix(8))").path
        let scenarios = try await DemoRepository.run(directory: target, now: nil)
        let useColor = Terminal.standardOutputSupportsColor
        var out = "Built a sample monorepo at \(target)\n"
        out += "(services ledger and payments are tier 1; checkout depends on payments, storefront on checkout)\n"
        for scenario in scenarios {
            out += "\n== \(scenario.title): blastwall check --base main --head \(scenario.branch)\n\n"
            out += ReportRenderer.render(scenario.outcome.report, as: .text, useColor: useColor)
        }
        let binary = DemoRepository.invocation(CommandLine.arguments[0])
        out += "\nTry it yourself:\n  cd \(target)\n  \(binary) check --head agent/cleanup-ledger --format markdown\n"
        out += "  \(binary) explain services/ledger/migrations/002_drop_legacy.sql\n"
        out += "  \(binary) policy eval 'change.files.map(f, f.path)' --head agent/cleanup-ledger\n"
        if directory == nil { out += "When you are done: rm -rf \(target)\n" }
        Terminal.write(out)
    }
}
