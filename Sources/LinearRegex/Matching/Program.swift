/// A compiled pattern: instructions for a Thompson-NFA simulation.
struct Program: Sendable {
    enum Instruction: Sendable {
        case scalar(UInt32)
        /// Matches a scalar whose case folding is this value.
        case foldedScalar(UInt32)
        case characterClass(Int)
        case anyScalar
        case anyButNewline
        /// Try both targets; the order does not matter for whether a match exists.
        case split(Int, Int)
        case jump(Int)
        case assertion(Assertion)
        case match
    }

    static let maxInstructions = 20_000

    var instructions: [Instruction] = []
    var classes: [CharacterClass] = []
    /// Whether every match must start at the beginning of the text, so that no later start is tried.
    var anchoredAtStart = false
}

/// Turns a syntax tree into a `Program`, refusing one that would exceed `Program.maxInstructions`.
struct Compiler {
    private var program = Program()
    private let patternLength: Int

    static func compile(_ node: RegexNode, patternLength: Int) throws(RegexSyntaxError) -> Program {
        var compiler = Compiler(patternLength: patternLength)
        try compiler.emit(node)
        try compiler.append(.match)
        compiler.program.anchoredAtStart = Self.isAnchoredAtStart(node)
        return compiler.program
    }

    private init(patternLength: Int) {
        self.patternLength = patternLength
    }

    private static func isAnchoredAtStart(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(.beginningOfText): return true
        case .concatenation(let items): return items.first.map(isAnchoredAtStart) ?? false
        case .alternation(let branches): return branches.allSatisfy(isAnchoredAtStart)
        case .repetition(let inner, let min, _): return min > 0 && isAnchoredAtStart(inner)
        default: return false
        }
    }

    @discardableResult
    private mutating func append(_ instruction: Program.Instruction) throws(RegexSyntaxError) -> Int {
        guard program.instructions.count < Program.maxInstructions else {
            throw RegexSyntaxError(
                "regular expression too large: it compiles to more than \(Program.maxInstructions) instructions; "
                    + "lower the counts of repetitions such as {1000}", at: patternLength)
        }
        program.instructions.append(instruction)
        return program.instructions.count - 1
    }

    private mutating func patch(_ index: Int, _ instruction: Program.Instruction) {
        program.instructions[index] = instruction
    }

    private var next: Int { program.instructions.count }

    private mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        switch node {
        case .empty:
            break
        case .literal(let scalar, let foldCase):
            try append(foldCase ? .foldedScalar(CaseFolding.fold(scalar).value) : .scalar(scalar.value))
        case .characterClass(let characterClass):
            program.classes.append(characterClass)
            try append(.characterClass(program.classes.count - 1))
        case .anyScalar(let includingNewline):
            try append(includingNewline ? .anyScalar : .anyButNewline)
        case .assertion(let assertion):
            try append(.assertion(assertion))
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var jumpsToEnd: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index == branches.count - 1 {
                    try emit(branch)
                } else {
                    let split = try append(.match)
                    try emit(branch)
                    jumpsToEnd.append(try append(.match))
                    patch(split, .split(split + 1, next))
                }
            }
            for jump in jumpsToEnd { patch(jump, .jump(next)) }
        case .repetition(let inner, let min, let max):
            try emitRepetition(inner, min: min, max: max)
        }
    }

    private mutating func emitRepetition(_ inner: RegexNode, min: Int, max: Int?) throws(RegexSyntaxError) {
        guard let max else {
            if min == 0 {
                // loop: split body, out; body: inner; jump loop
                let loop = try append(.match)
                try emit(inner)
                try append(.jump(loop))
                patch(loop, .split(loop + 1, next))
            } else {
                for _ in 0..<(min - 1) { try emit(inner) }
                let body = next
                try emit(inner)
                try append(.split(body, next + 1))
            }
            return
        }
        for _ in 0..<min { try emit(inner) }
        var splits: [Int] = []
        for _ in 0..<(max - min) {
            splits.append(try append(.match))
            try emit(inner)
        }
        for split in splits { patch(split, .split(split + 1, next)) }
    }
}
