import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `map`, on two threads when the array has at least `minimum` elements: the same results in the same
    /// order. For the few steps that run after a large range is read, when the other core has nothing to do.
    public func concurrentMap<Result: Sendable>(atLeast minimum: Int = 4096, _ transform: (Element) -> Result) -> [Result] {
        guard count >= Swift.max(minimum, 2) else { return map(transform) }
        let middle = count / 2
        let results = Mutex<[[Result]]>([[], []])
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                let part = (half == 0 ? self[..<middle] : self[middle...]).map(transform)
                results.withLock { $0[half] = part }
            }
        }
        return results.withLock { $0[0] + $0[1] }
    }
}
