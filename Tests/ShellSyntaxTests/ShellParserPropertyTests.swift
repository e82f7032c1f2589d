import PropertyBased
import Testing

@testable import ShellSyntax

/// Command lines are open-ended input: whatever the bytes, reading them ends, in a tree or an error.
@Suite struct ShellParserPropertyTests {
    /// Mostly the characters that mean something to a shell, so that generated lines exercise the parser.
    static let characters = Array(" \t\n;&|()<>$`'\"\\{}[]#*?!=~-_/.,:%0123456789abcdefgrmxyEOF")
    static let lines = Gen.int(in: 0...(characters.count - 1)).array(of: 0...120).map { String($0.map { characters[$0] }) }

    @Test func anyLineEndsInATreeOrAnError() async {
        await propertyCheck(count: 3000, input: Self.lines) { line in
            do throws(ShellSyntaxError) {
                _ = try ShellParser.parse(line).simpleCommands
            } catch {
                #expect(error.offset >= 0 && error.offset <= line.utf8.count, "\(error) for \(line.debugDescription)")
            }
        }
    }

    /// Words of letters and digits; the leading `x` keeps them from being reserved words (`if`, `do`).
    static let plainWords = Gen.int(in: 0...35).array(of: 0...8)
        .map { "x" + String($0.map { Array("abcdefghijklmnopqrstuvwxyz0123456789")[$0] }) }
        .array(of: 1...6)

    /// However each word is quoted, the command reads as the same words.
    @Test func quotingDoesNotChangeTheWords() async {
        await propertyCheck(count: 1000, input: Self.plainWords, Gen.int(in: 0...4).array(of: 6...6)) { words, styles in
            let quoted = zip(words, styles).map { word, style -> String in
                switch style {
                case 0: return word
                case 1: return "'\(word)'"
                case 2: return "\"\(word)\""
                case 3: return "$'\(word)'"
                default: return word.map { "\\\($0)" }.joined()
                }
            }
            let read = try? ShellParser.parse(quoted.joined(separator: " ")).simpleCommands.first?.words.map(\.literalValue)
            #expect(read == words.map { Optional($0) }, "\(quoted)")
        }
    }

    /// A command reads the same inside a subshell, a group, a substitution or after other commands.
    @Test func aCommandReadsTheSameWhereverItIs() async {
        await propertyCheck(count: 500, input: Self.plainWords) { words in
            let line = words.joined(separator: " ")
            let expected = [words]
            for wrapped in ["(\(line))", "{ \(line); }", "echo $(\(line))", "true && \(line)", "if true; then \(line); fi"] {
                let found = try? ShellParser.parse(wrapped).simpleCommands.map { $0.words.compactMap(\.literalValue) }
                #expect(found?.contains(expected[0]) == true, "\(wrapped)")
            }
        }
    }
}
