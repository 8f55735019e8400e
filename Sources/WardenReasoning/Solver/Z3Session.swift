import CZ3

/// A term of the solver (a Z3 AST). Valid only as long as the `Z3Session` that made it.
typealias Term = OpaquePointer

/// One Z3 context and solver for one check, with the few term builders the encoding needs.
///
/// Z3's default error handler aborts the process; the session installs none and checks the error code after
/// building terms, so a solver problem becomes a `ReasoningError` instead. Terms are owned by the context
/// (`Z3_mk_context`, not the reference-counted variant) and freed with it.
// INVARIANT: a session is used by one thread at a time (each check makes its own); Z3 contexts are independent.
final class Z3Session {
    let context: Z3_context
    let solver: Z3_solver
    let stringSort: Z3_sort
    let regexSort: Z3_sort
    let intSort: Z3_sort
    let realSort: Z3_sort
    let boolSort: Z3_sort
    let bv128: Z3_sort
    private var constants: [String: Term] = [:]
    private var strings: [String: Term] = [:]

    /// The highest character Z3 4.8 models (its Unicode range); characters above it are never needed to find a
    /// counterexample because patterns never name them.
    static let maxCharacter: UInt32 = 0x2FFFF

    /// Z3's full version string.
    static var version: String { String(cString: Z3_get_full_version()) }

    init(limits: ReasoningLimits) {
        let config = Z3_mk_config()!
        Z3_set_param_value(config, "model", "true")
        context = Z3_mk_context(config)
        Z3_del_config(config)
        Z3_set_error_handler(context, nil)
        solver = Z3_mk_solver(context)
        Z3_solver_inc_ref(context, solver)
        let params = Z3_mk_params(context)!
        Z3_params_inc_ref(context, params)
        Z3_params_set_uint(context, params, Z3_mk_string_symbol(context, "timeout"), UInt32(clamping: limits.timeoutMilliseconds))
        if let rlimit = limits.resourceLimit {
            Z3_params_set_uint(context, params, Z3_mk_string_symbol(context, "rlimit"), rlimit)
        }
        Z3_solver_set_params(context, solver, params)
        Z3_params_dec_ref(context, params)
        stringSort = Z3_mk_string_sort(context)
        regexSort = Z3_mk_re_sort(context, stringSort)
        intSort = Z3_mk_int_sort(context)
        realSort = Z3_mk_real_sort(context)
        boolSort = Z3_mk_bool_sort(context)
        bv128 = Z3_mk_bv_sort(context, 128)
    }

    deinit {
        Z3_solver_dec_ref(context, solver)
        Z3_del_context(context)
    }

    /// Throws when Z3 reported an error since the last check.
    func checkError() throws(ReasoningError) {
        let code = Z3_get_error_code(context)
        guard code != Z3_OK else { return }
        let message = String(cString: Z3_get_error_msg(context, code))
        throw ReasoningError(.solverFailure, "The solver failed: \(message)")
    }

    // MARK: Constants and literals

    /// A named constant of `sort` (the same name gives the same constant).
    func constant(_ name: String, _ sort: Z3_sort) -> Term {
        if let t = constants[name] { return t }
        let t = Z3_mk_const(context, Z3_mk_string_symbol(context, name), sort)!
        constants[name] = t
        return t
    }
    func stringVar(_ name: String) -> Term { constant(name, stringSort) }
    func boolVar(_ name: String) -> Term { constant(name, boolSort) }
    func intVar(_ name: String) -> Term { constant(name, intSort) }
    func realVar(_ name: String) -> Term { constant(name, realSort) }
    func bvVar(_ name: String) -> Term { constant(name, bv128) }

    /// A string literal. Every character outside a safe ASCII set is written as `\u{…}`, which Z3 reads back as
    /// that character (so backslashes and quotes in policies stay literal).
    func string(_ s: String) -> Term {
        if let t = strings[s] { return t }
        var escaped = ""
        for scalar in s.unicodeScalars {
            let v = scalar.value
            let safe = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                || ":/-_.*?@=+,".unicodeScalars.contains(scalar)
            if safe { escaped.unicodeScalars.append(scalar) } else { escaped += "\\u{" + String(min(v, Z3Session.maxCharacter), radix: 16) + "}" }
        }
        let t = Z3_mk_string(context, escaped)!
        strings[s] = t
        return t
    }
    var trueTerm: Term { Z3_mk_true(context) }
    var falseTerm: Term { Z3_mk_false(context) }
    func int(_ v: Int) -> Term { Z3_mk_int64(context, Int64(v), intSort) }
    /// An exact rational for a Double (the evaluator compares Doubles; so must the encoding).
    func real(_ v: Double) -> Term { Z3_mk_numeral(context, Z3Session.exactRational(v), realSort) }
    func bv64(_ v: UInt64) -> Term { Z3_mk_unsigned_int64(context, v, Z3_mk_bv_sort(context, 64)) }

    // MARK: Boolean structure

    func and(_ xs: [Term]) -> Term {
        if xs.isEmpty { return trueTerm }
        if xs.count == 1 { return xs[0] }
        let args: [Term?] = xs
        return Z3_mk_and(context, UInt32(xs.count), args)
    }
    func or(_ xs: [Term]) -> Term {
        if xs.isEmpty { return falseTerm }
        if xs.count == 1 { return xs[0] }
        let args: [Term?] = xs
        return Z3_mk_or(context, UInt32(xs.count), args)
    }
    func and(_ a: Term, _ b: Term) -> Term { and([a, b]) }
    func or(_ a: Term, _ b: Term) -> Term { or([a, b]) }
    func not(_ a: Term) -> Term { Z3_mk_not(context, a) }
    func implies(_ a: Term, _ b: Term) -> Term { Z3_mk_implies(context, a, b) }
    func ite(_ c: Term, _ a: Term, _ b: Term) -> Term { Z3_mk_ite(context, c, a, b) }
    func eq(_ a: Term, _ b: Term) -> Term { Z3_mk_eq(context, a, b) }
    func distinctFrom(_ a: Term, _ values: [Term]) -> Term { and(values.map { not(eq(a, $0)) }) }

    // MARK: Arithmetic

    func lt(_ a: Term, _ b: Term) -> Term { Z3_mk_lt(context, a, b) }
    func le(_ a: Term, _ b: Term) -> Term { Z3_mk_le(context, a, b) }
    func gt(_ a: Term, _ b: Term) -> Term { Z3_mk_gt(context, a, b) }
    func ge(_ a: Term, _ b: Term) -> Term { Z3_mk_ge(context, a, b) }
    func add(_ xs: [Term]) -> Term {
        if xs.count == 1 { return xs[0] }
        let args: [Term?] = xs
        return Z3_mk_add(context, UInt32(xs.count), args)
    }
    func sub(_ a: Term, _ b: Term) -> Term {
        let args: [Term?] = [a, b]
        return Z3_mk_sub(context, 2, args)
    }

    // MARK: Strings

    func concat(_ xs: [Term]) -> Term {
        if xs.isEmpty { return string("") }
        if xs.count == 1 { return xs[0] }
        let args: [Term?] = xs
        return Z3_mk_seq_concat(context, UInt32(xs.count), args)
    }
    func length(_ s: Term) -> Term { Z3_mk_seq_length(context, s) }
    func prefix(_ p: Term, of s: Term) -> Term { Z3_mk_seq_prefix(context, p, s) }
    func suffix(_ p: Term, of s: Term) -> Term { Z3_mk_seq_suffix(context, p, s) }
    func indexOf(_ s: Term, _ t: Term, from: Term) -> Term { Z3_mk_seq_index(context, s, t, from) }
    func inRegex(_ s: Term, _ r: Term) -> Term { Z3_mk_seq_in_re(context, s, r) }
    func contains(_ s: Term, _ t: Term) -> Term { Z3_mk_seq_contains(context, s, t) }

    // MARK: Regular expressions

    func reLiteral(_ s: String) -> Term { Z3_mk_seq_to_re(context, string(s)) }
    func reConcat(_ xs: [Term]) -> Term {
        if xs.isEmpty { return reLiteral("") }
        if xs.count == 1 { return xs[0] }
        let args: [Term?] = xs
        return Z3_mk_re_concat(context, UInt32(xs.count), args)
    }
    func reUnion(_ xs: [Term]) -> Term {
        if xs.isEmpty { return Z3_mk_re_empty(context, regexSort) }
        if xs.count == 1 { return xs[0] }
        let args: [Term?] = xs
        return Z3_mk_re_union(context, UInt32(xs.count), args)
    }
    func reIntersect(_ xs: [Term]) -> Term {
        if xs.count == 1 { return xs[0] }
        let args: [Term?] = xs
        return Z3_mk_re_intersect(context, UInt32(xs.count), args)
    }
    func reStar(_ r: Term) -> Term { Z3_mk_re_star(context, r) }
    func reComplement(_ r: Term) -> Term { Z3_mk_re_complement(context, r) }
    func reRange(_ lo: UInt32, _ hi: UInt32) -> Term {
        Z3_mk_re_range(context, string(String(UnicodeScalar(lo) ?? "\u{0}")), string(String(UnicodeScalar(hi) ?? "\u{0}")))
    }
    /// Every string.
    var reAll: Term { Z3_mk_re_full(context, regexSort) }
    /// Exactly one character. One range: Z3 4.8's regex solver is slow on unions of ranges (seconds instead of
    /// milliseconds), so the encoding avoids them and states "no colon", "no slash" with `contains` instead.
    lazy var reAnyCharacter: Term = reRange(0, Z3Session.maxCharacter)

    // MARK: Bit-vectors

    func extract(_ high: UInt32, _ low: UInt32, _ bv: Term) -> Term { Z3_mk_extract(context, high, low, bv) }
    func bvConcat(_ a: Term, _ b: Term) -> Term { Z3_mk_concat(context, a, b) }

    // MARK: Solving

    enum Outcome { case satisfiable, unsatisfiable }

    // Scopes are kept here, not in Z3: after a push Z3 4.8 switches to its incremental string solver, which
    // times out on queries the fresh solver answers in milliseconds. Each check therefore solves from scratch.
    private var assertions: [Term] = []
    private var scopes: [Int] = []

    func assert(_ t: Term) { assertions.append(t) }
    func push() { scopes.append(assertions.count) }
    func pop() { if let n = scopes.popLast() { assertions.removeSubrange(n...) } }

    /// Checks the assertions; an unknown answer (timeout, resource limit) is an error, never a PASS.
    func check() throws(ReasoningError) -> Outcome {
        try checkError()
        Z3_solver_reset(context, solver)
        for t in assertions { Z3_solver_assert(context, solver, t) }
        let r = Z3_solver_check(context, solver)
        switch r {
        case Z3_L_TRUE: return .satisfiable
        case Z3_L_FALSE: return .unsatisfiable
        default:
            let reason = String(cString: Z3_solver_get_reason_unknown(context, solver))
            if reason.contains("timeout") || reason.contains("canceled") || reason.contains("resource") || reason.contains("rlimit") {
                throw ReasoningError(.timeout, "The check did not finish within its limit (\(reason)).")
            }
            throw ReasoningError(.solverFailure, "The solver could not decide the check (\(reason)).")
        }
    }

    /// The current model (after a satisfiable check).
    func model() -> Z3Model? {
        guard let m = Z3_solver_get_model(context, solver) else { return nil }
        return Z3Model(session: self, model: m)
    }

    // MARK: Helpers

    /// The exact value of `v` as a Z3 rational numeral (`n` or `n/d`).
    static func exactRational(_ v: Double) -> String {
        if v == 0 || !v.isFinite { return "0" }
        if v == v.rounded(), abs(v) < 9.0e15 { return String(Int64(v)) }
        // v = m · 2^e with an integer m of at most 53 bits.
        let e = Int(v.exponent) - 52
        let m = Int64(v.significand * 4_503_599_627_370_496.0) * (v < 0 ? -1 : 1)
        var mm = m
        var ee = e
        while mm % 2 == 0 && ee < 0 { mm /= 2; ee += 1 }
        if ee >= 0 { return decimalTimesPowerOfTwo(mm, ee) }
        return "\(mm)/" + decimalTimesPowerOfTwo(1, -ee)
    }

    private static func decimalTimesPowerOfTwo(_ m: Int64, _ k: Int) -> String {
        var digits: [Int] = String(m.magnitude).compactMap { $0.wholeNumberValue }.reversed()
        for _ in 0..<k {
            var carry = 0
            for i in digits.indices {
                let d = digits[i] * 2 + carry
                digits[i] = d % 10
                carry = d / 10
            }
            if carry > 0 { digits.append(carry) }
        }
        return (m < 0 ? "-" : "") + digits.reversed().map(String.init).joined()
    }
}

/// A satisfying assignment, read back into Swift values.
struct Z3Model {
    let session: Z3Session
    let model: Z3_model

    init(session: Z3Session, model: Z3_model) {
        self.session = session
        self.model = model
        Z3_model_inc_ref(session.context, model)
    }

    func release() { Z3_model_dec_ref(session.context, model) }

    func evaluate(_ t: Term) -> Term? {
        var out: Z3_ast?
        guard Z3_model_eval(session.context, model, t, true, &out), let out else { return nil }
        return out
    }

    func bool(_ t: Term) -> Bool {
        guard let v = evaluate(t) else { return false }
        return Z3_get_bool_value(session.context, v) == Z3_L_TRUE
    }

    func int(_ t: Term) -> Int {
        guard let v = evaluate(t) else { return 0 }
        var out: Int64 = 0
        return Z3_get_numeral_int64(session.context, v, &out) ? Int(out) : 0
    }

    /// A real or bit-vector numeral as decimal text.
    func decimal(_ t: Term, precision: UInt32 = 12) -> String {
        guard let v = evaluate(t) else { return "0" }
        if Z3_get_sort_kind(session.context, Z3_get_sort(session.context, v)) == Z3_REAL_SORT {
            var s = String(cString: Z3_get_numeral_decimal_string(session.context, v, precision))
            if s.hasSuffix("?") { s.removeLast() }
            return s
        }
        return String(cString: Z3_get_numeral_string(session.context, v))
    }

    func string(_ t: Term) -> String {
        guard let v = evaluate(t), Z3_is_string(session.context, v) else { return "" }
        return Z3Model.unescape(String(cString: Z3_get_string(session.context, v)))
    }

    /// Z3 prints characters outside printable ASCII as `\u{…}` (and some as `\xHH`); turn them back.
    static func unescape(_ s: String) -> String {
        var out = ""
        var scalars = Array(s.unicodeScalars)[...]
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            guard c == "\\", let next = scalars.first else { out.unicodeScalars.append(c); continue }
            if next == "u", scalars.dropFirst().first == "{", let close = scalars.firstIndex(of: "}") {
                let hex = String(String.UnicodeScalarView(scalars[(scalars.startIndex + 2)..<close]))
                if let v = UInt32(hex, radix: 16), let u = UnicodeScalar(v) {
                    out.unicodeScalars.append(u)
                    scalars = scalars[(close + 1)...]
                    continue
                }
            }
            if next == "x", scalars.count >= 3 {
                let hex = String(String.UnicodeScalarView(scalars[(scalars.startIndex + 1)...(scalars.startIndex + 2)]))
                if let v = UInt32(hex, radix: 16), let u = UnicodeScalar(v) {
                    out.unicodeScalars.append(u)
                    scalars = scalars.dropFirst(3)
                    continue
                }
            }
            out.unicodeScalars.append(c)
        }
        return out
    }
}
