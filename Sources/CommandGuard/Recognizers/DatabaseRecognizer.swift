import BlastwallCore

/// Database clients: the statements given with `-c`/`-e`, as an argument or in a here-document are read one
/// by one; a file or piped input is opaque. The host and database say the environment.
struct DatabaseRecognizer: CommandRecognizer {
    let programs = [
        "psql", "mysql", "mariadb", "sqlite3", "sqlite", "mongosh", "mongo", "redis-cli", "valkey-cli", "clickhouse-client", "cqlsh",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        let program = invocation.program
        var recognition = Recognition(tool: program == "mariadb" ? "mysql" : (program == "sqlite" ? "sqlite3" : program))
        var statements: [String] = []
        var sources: [String] = []
        switch recognition.tool {
        case "psql":
            connection(
                invocation, &recognition, hostOptions: ["-h", "--host"], databaseOptions: ["-d", "--dbname"],
                hostVariables: ["PGHOST"], databaseVariables: ["PGDATABASE"], urlVariables: ["DATABASE_URL", "PGSERVICE"])
            statements = invocation.allValues(of: "-c", "--command")
            sources = invocation.allValues(of: "-f", "--file")
        case "mysql":
            connection(
                invocation, &recognition, hostOptions: ["-h", "--host"], databaseOptions: ["-D", "--database"],
                hostVariables: ["MYSQL_HOST"], databaseVariables: [], urlVariables: ["DATABASE_URL"])
            statements = invocation.allValues(of: "-e", "--execute")
        case "sqlite3":
            let operands = FileSystemRecognizer.operands(invocation, valueOptions: ["-cmd", "-separator", "-newline", "-nullvalue"])
            if let file = operands.first {
                recognition.signals.append(EnvironmentSignal(.databaseNames, file))
                recognition.resources.append("database/\(file)")
                recognition.serviceCandidates.append(CommandReader.programName(file).split(separator: ".").first.map(String.init) ?? file)
            }
            statements = Array(operands.dropFirst()) + invocation.allValues(of: "-cmd")
        case "mongosh", "mongo":
            let operands = invocation.operands
            if let target = operands.first {
                recognition.signals.append(EnvironmentSignal(.hosts, KubernetesRecognizer.host(of: target)))
                if let database = target.split(separator: "/").last, target.contains("/") {
                    recognition.signals.append(EnvironmentSignal(.databaseNames, String(database.split(separator: "?")[0])))
                }
            }
            if let host = invocation.value(of: "--host") { recognition.signals.append(EnvironmentSignal(.databaseHosts, host)) }
            return mongo(invocation, &recognition)
        case "redis-cli", "valkey-cli":
            if let host = invocation.value(of: "-h") { recognition.signals.append(EnvironmentSignal(.databaseHosts, host)) }
            if let url = invocation.value(of: "-u") {
                recognition.signals.append(EnvironmentSignal(.databaseHosts, KubernetesRecognizer.host(of: url)))
            }
            return redis(invocation, &recognition)
        default:
            if let host = invocation.value(of: "-h", "--host") { recognition.signals.append(EnvironmentSignal(.databaseHosts, host)) }
            statements = invocation.allValues(of: "-q", "--query", "-e", "--execute")
        }
        if let body = invocation.hereDocument { statements.append(body) }
        for source in sources {
            recognition.findings.append(.opaque("-f \(source)", "runs the SQL in \(source), which the guard does not read"))
        }
        if statements.isEmpty, sources.isEmpty {
            if invocation.readsUnknownInput {
                recognition.findings.append(.opaque(invocation.text, "runs SQL from its input, which the guard cannot see"))
            } else {
                recognition.findings.append(.opaque(invocation.text, "opens an interactive session, whose statements the guard cannot see"))
            }
        }
        for judged in statements.flatMap(SQLStatements.judge) {
            recognition.findings.append(Finding(judged.operation, judged.statement, judged.reason, isOpaque: judged.isOpaque))
            let words = SQLStatements.keywords(judged.statement)
            if recognition.verb.isEmpty || judged.operation == recognition.operation { recognition.verb = words.first ?? "" }
            if let table = Self.table(in: judged.statement) { recognition.resources.append("table/\(table)") }
        }
        return recognition
    }

    /// Host and database from options, a connection URL or a `name=value` connection string, and variables.
    private func connection(
        _ invocation: Invocation, _ recognition: inout Recognition, hostOptions: [String], databaseOptions: [String],
        hostVariables: [String], databaseVariables: [String], urlVariables: [String]
    ) {
        var hosts: [String] = []
        var databases: [String] = []
        for option in hostOptions { hosts += invocation.allValues(of: option) }
        for option in databaseOptions { databases += invocation.allValues(of: option) }
        for operand in invocation.operands {
            if operand.contains("://") {
                hosts.append(KubernetesRecognizer.host(of: operand))
                if let path = operand.split(separator: "/", omittingEmptySubsequences: true).dropFirst(2).first {
                    databases.append(String(path.split(separator: "?")[0]))
                }
            } else if operand.contains("=") {
                for pair in operand.split(separator: " ") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { continue }
                    if parts[0] == "host" { hosts.append(parts[1]) }
                    if parts[0] == "dbname" { databases.append(parts[1]) }
                }
            } else if databases.isEmpty {
                databases.append(operand)
            }
        }
        for name in hostVariables { if let value = invocation.variables[name] { hosts.append(value) } }
        for name in databaseVariables { if let value = invocation.variables[name] { databases.append(value) } }
        for name in urlVariables {
            if let value = invocation.variables[name], value.contains("://") { hosts.append(KubernetesRecognizer.host(of: value)) }
        }
        recognition.signals += hosts.map { EnvironmentSignal(.databaseHosts, $0) }
        recognition.signals += databases.map { EnvironmentSignal(.databaseNames, $0) }
        recognition.resources += databases.map { "database/\($0)" }
        recognition.serviceCandidates += databases
    }

    private func redis(_ invocation: Invocation, _ recognition: inout Recognition) -> Recognition {
        let words = FileSystemRecognizer.operands(invocation, valueOptions: ["-h", "-p", "-a", "-n", "-u", "--user", "--pass", "-r", "-i"])
        guard let command = words.first?.uppercased() else {
            recognition.findings.append(.opaque(invocation.text, "opens an interactive session, whose commands the guard cannot see"))
            return recognition
        }
        recognition.verb = command
        let shown = words.joined(separator: " ")
        switch command {
        case "FLUSHALL", "FLUSHDB", "SHUTDOWN", "DEBUG", "SWAPDB", "FAILOVER", "REPLICAOF", "SLAVEOF":
            recognition.add(.destructive, shown, "\(command) loses data or availability")
        case "GET", "MGET", "KEYS", "SCAN", "INFO", "PING", "TTL", "PTTL", "TYPE", "EXISTS", "HGET", "HGETALL", "LRANGE", "SMEMBERS",
            "ZRANGE", "DBSIZE", "MONITOR", "STRLEN", "LLEN", "SCARD", "HLEN", "XRANGE", "CLIENT", "SLOWLOG", "MEMORY", "LATENCY",
            "HKEYS", "HVALS", "ZSCORE", "SISMEMBER", "TIME", "LASTSAVE", "ROLE":
            recognition.add(.read, shown, "\(command) only reads")
        case "CONFIG":
            let action = words.dropFirst().first?.uppercased() ?? ""
            recognition.add(action == "GET" ? .read : .write, shown, "CONFIG \(action)")
        default:
            recognition.add(.write, shown, "\(command) changes data")
        }
        return recognition
    }

    private func mongo(_ invocation: Invocation, _ recognition: inout Recognition) -> Recognition {
        guard let script = invocation.value(of: "--eval") ?? invocation.hereDocument else {
            let file = invocation.value(of: "--file", "-f")
            recognition.findings.append(
                .opaque(
                    invocation.text, file.map { "runs the script \($0), which the guard does not read" } ?? "opens an interactive shell"))
            return recognition
        }
        let compact = script.filter { !$0.isWhitespace }
        recognition.verb = "eval"
        if compact.contains("dropDatabase(") || compact.contains(".drop(") || compact.contains("deleteMany({})")
            || compact.contains("remove({})") || compact.contains("dropIndexes(") || compact.contains("dropUser(")
        {
            recognition.add(.destructive, script, "drops a database or collection, or deletes every document")
        } else if ["delete", "remove(", "update", "insert", "replace", "create", "rename", "bulkWrite", "save("].contains(
            where: compact.contains)
        {
            recognition.add(.write, script, "changes documents")
        } else if ["find", "count", "aggregate", "show", "getCollectionNames", "stats(", "printjson", "explain", "distinct"].contains(
            where: compact.contains),
            !compact.contains("runCommand"), !compact.contains("eval(")
        {
            recognition.add(.read, script, "a query")
        } else {
            recognition.findings.append(.opaque(script, "JavaScript the guard cannot read"))
        }
        return recognition
    }

    /// The table a statement acts on: the name after FROM, INTO, UPDATE, TABLE or TRUNCATE.
    static func table(in statement: String) -> String? {
        let words = statement.split { $0.isWhitespace }.map(String.init)
        for (index, word) in words.enumerated() where index + 1 < words.count {
            if ["FROM", "INTO", "UPDATE", "TABLE", "TRUNCATE"].contains(word.uppercased()) {
                var name = words[index + 1]
                if ["IF", "ONLY"].contains(name.uppercased()), index + 3 < words.count {
                    name = words[index + (name.uppercased() == "IF" ? 3 : 2)]
                }
                return name.trimmingCharacters(in: ";()\"`")
            }
        }
        return nil
    }
}

extension String {
    func trimmingCharacters(in characters: String) -> String {
        String(self.drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
