/// The unbiased pass@k estimator of Chen et al. 2021 (HumanEval): the probability that at least
/// one of k samples drawn without replacement from n, of which c passed, passes.
public enum PassAtK {
    /// 1 - C(n-c, k) / C(n, k), computed as HumanEval's `estimate_pass_at_k` does, as a product
    /// that never forms the binomials.
    public static func estimate(samples n: Int, passed c: Int, k: Int) -> Double {
        precondition(n >= 1 && c >= 0 && c <= n && k >= 1 && k <= n, "pass@k needs 0 <= c <= n and 1 <= k <= n")
        if n - c < k { return 1 }
        var product = 1.0
        for i in stride(from: n - c + 1, through: n, by: 1) {
            product *= 1 - Double(k) / Double(i)
        }
        return 1 - product
    }
}
