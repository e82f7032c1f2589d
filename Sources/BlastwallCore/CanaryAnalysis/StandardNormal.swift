import Foundation

/// Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation refined with one Halley step
/// (relative error below 1e-12 for 0 < p < 1).
func standardNormalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "a quantile level lies strictly between 0 and 1")
    let a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239]
    let b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
    let c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
    let d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
    func tail(_ q: Double) -> Double {
        let r = (-2 * log(q)).squareRoot()
        return (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1)
    }
    var x: Double
    if p < 0.02425 {
        x = tail(p)
    } else if p > 1 - 0.02425 {
        x = -tail(1 - p)
    } else {
        let q = p - 0.5
        let r = q * q
        x =
            (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
    // Halley's step on Φ(x) − p, with Φ from erfc.
    let error = 0.5 * erfc(-x / 2.0.squareRoot()) - p
    let u = error * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
}
