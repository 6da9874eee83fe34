namespace Wallet.Protocol.Witnesses;

/// <summary>One witness a <see cref="WitnessPolicy"/> trusts: a name for reports and its verifier key.</summary>
public sealed class WitnessKeyOptions
{
    /// <summary>The name reports give the witness, such as its operator; required and unique in the policy.</summary>
    public string? Name { get; set; }

    /// <summary>The witness's <c>cosignature/v1</c> verifier key (type 0x04), <c>&lt;key name&gt;+&lt;key ID&gt;+&lt;base64&gt;</c>; required.</summary>
    public string? VerifierKey { get; set; }
}
