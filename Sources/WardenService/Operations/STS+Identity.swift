import WardenCore
import WardenWire

extension WardenService {
    static func registerSTS(_ r: inout Registry) {
        // GetCallerIdentity needs no permission: even an explicit deny does not stop it.
        r.on(.sts, "GetCallerIdentity", authorize: .documentedFree) { (call: Call) -> STS.GetCallerIdentityResponse in
            let p = call.caller.principal
            return STS.GetCallerIdentityResponse(userId: p.userID, account: p.account, arn: p.arn)
        }
    }
}
