import BlastwallCore
import CEL
import CommandGuard
import Foundation

/// In-process throughput of the agent gateway: the labelled corpus's commands classified (and decided) over and
/// over on one thread. Usage: blastwall-guard-bench CONFIG.yml COMMANDS.txt [SECONDS]
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: blastwall-guard-bench CONFIG.yml COMMANDS.txt [SECONDS]\n".utf8))
    exit(2)
}
let configuration = try ConfigurationLoader.load(yaml: String(contentsOfFile: arguments[1], encoding: .utf8), file: arguments[1])
    .configuration
let seconds = arguments.count > 3 ? Double(arguments[3]) ?? 3 : 3
let commands = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
    guard !line.hasPrefix("#"), line.split(separator: "|").count >= 4 else { return nil }
    return line.split(separator: "|", maxSplits: 3)[3].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\\n", with: "\n")
        .replacingOccurrences(of: "{ctx}", with: "prod-eu").replacingOccurrences(of: "{dbhost}", with: "db1.prod.internal")
}
let classifier = CommandClassifier(configuration: configuration)
let policy = AgentPolicy(configuration: configuration)
let actor = AgentActor(definition: configuration.agentGateway.agents[0], session: "bench")
let context = CommandContext(directory: "/work/repo", workingTree: "/work/repo", home: "/home/bench")
let now = Timestamp(rfc3339: "2026-12-01T00:00:00Z")!

func measure(_ label: String, _ body: (String) -> Int) {
    var count = 0
    var checksum = 0
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        for command in commands { checksum &+= body(command) }
        count += commands.count
    }
    let elapsed = Date().timeIntervalSince(start)
    print("\(label): \(Int(Double(count) / elapsed)) commands/s (\(count) in \(String(format: "%.2f", elapsed)) s, checksum \(checksum))")
}

print("corpus: \(commands.count) commands")
measure("classify") { classifier.classify($0, in: context, defaultEnvironment: "dev").commands.count }
measure("classify+decide") { text in
    let classification = classifier.classify(text, in: context, defaultEnvironment: "dev")
    return policy.decide(classification, for: actor, now: now).reasons.count
}
