extension CommandList {
    /// Every simple command the line may run, wherever it is: in pipelines, subshells, groups, loops and
    /// conditions, function bodies, and the substitutions inside words, assignments, redirections and
    /// unquoted here-documents. Outer commands come before the substitutions in their words.
    public var simpleCommands: [SimpleCommand] {
        var found: [SimpleCommand] = []
        collect(into: &found)
        return found
    }

    func collect(into found: inout [SimpleCommand]) {
        for item in items {
            for pipeline in item.command.pipelines {
                for command in pipeline.commands { command.collect(into: &found) }
            }
        }
    }
}

extension Command {
    func collect(into found: inout [SimpleCommand]) {
        switch self {
        case .simple(let command):
            found.append(command)
            for word in command.words { word.collect(into: &found) }
            for assignment in command.assignments { assignment.value.collect(into: &found) }
            for redirection in command.redirections { redirection.collect(into: &found) }
        case .subshell(let list, let redirections), .group(let list, let redirections):
            list.collect(into: &found)
            for redirection in redirections { redirection.collect(into: &found) }
        case .compound(_, let header, let bodies, let redirections):
            for word in header { word.collect(into: &found) }
            for body in bodies { body.collect(into: &found) }
            for redirection in redirections { redirection.collect(into: &found) }
        case .function(_, let body):
            body.collect(into: &found)
        case .test(_, let words):
            for word in words { word.collect(into: &found) }
        }
    }
}

extension Word {
    func collect(into found: inout [SimpleCommand]) {
        for list in substitutions { list.collect(into: &found) }
    }
}

extension Redirection {
    func collect(into found: inout [SimpleCommand]) {
        target.collect(into: &found)
        hereDocument?.collect(into: &found)
    }
}
