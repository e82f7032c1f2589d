/// Runs a `Program` over a text in time proportional to the text's length times the program's size.
///
/// Each position keeps at most one thread per instruction, so no input can make it backtrack.
struct PikeVM {
    private let program: Program
    private var stack: [Int] = []

    init(_ program: Program) {
        self.program = program
    }

    /// Whether the program matches anywhere in `text`.
    mutating func search(_ text: String) -> Bool {
        var current = ThreadSet(capacity: program.instructions.count)
        var next = ThreadSet(capacity: program.instructions.count)
        var scalars = text.unicodeScalars.makeIterator()
        var previous: Unicode.Scalar? = nil
        var scalar = scalars.next()
        var isFirst = true
        while true {
            if isFirst || !program.anchoredAtStart {
                if addThread(0, to: &current, previous: previous, next: scalar) { return true }
            } else if current.count == 0 {
                return false
            }
            isFirst = false
            guard let consumed = scalar else { return false }
            let following = scalars.next()
            for slot in 0..<current.count {
                let index = Int(current.dense[slot])
                if step(program.instructions[index], on: consumed),
                    addThread(index + 1, to: &next, previous: consumed, next: following)
                {
                    return true
                }
            }
            swap(&current, &next)
            next.removeAll()
            previous = consumed
            scalar = following
        }
    }

    private func step(_ instruction: Program.Instruction, on scalar: Unicode.Scalar) -> Bool {
        switch instruction {
        case .scalar(let value): return scalar.value == value
        case .foldedScalar(let value): return CaseFolding.fold(scalar).value == value
        case .characterClass(let index): return program.classes[index].contains(scalar)
        case .anyScalar: return true
        case .anyButNewline: return scalar != "\n"
        case .split, .jump, .assertion, .match: return false
        }
    }

    /// Adds `start` and everything reachable from it without consuming a scalar; true when that reaches a match.
    private mutating func addThread(
        _ start: Int, to threads: inout ThreadSet, previous: Unicode.Scalar?, next following: Unicode.Scalar?
    ) -> Bool {
        stack.append(start)
        while let index = stack.popLast() {
            guard threads.insert(index) else { continue }
            switch program.instructions[index] {
            case .match:
                stack.removeAll(keepingCapacity: true)
                return true
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertion(let assertion):
                if assertion.holds(previous: previous, next: following) { stack.append(index + 1) }
            default:
                break
            }
        }
        return false
    }
}
