// Source of tests/data/dotnet/Leaky.dll (mcs -target:library -optimize+). Fake keys.
namespace Leaky {
  public static class Secrets {
    public const string ConstKey = "AIzaSyDn7Qc4Lp2Vx9Rk3Tm8Wb5Hj1Fs6Gz0Ne";
    public static string GetKey() { return "sk_live_51Hq8ZkT2vRbX9mPq3LwYc7N"; }
    public static string Hook() { return "https://hooks.slack.com/services/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"; }
  }
}
