using Verify = Killswitch.Analyzers.Tests.CodeFixes.PutBehindFeatureFlagVerifier;

namespace Killswitch.Analyzers.Tests.CodeFixes;

public class PutBehindFeatureFlagCodeFixProviderTests
{
    [Fact]
    public async Task AsyncMethod_ClientFieldInScope_ExitsEarlyWhenFlagIsOff()
    {
        var test = new Verify.Test<ContractAnalyzer>
        {
            TestCode = """
                using System.Threading.Tasks;
                using OpenFeature;

                public sealed class OrderService
                {
                    private readonly IFeatureClient _flags;

                    public OrderService(IFeatureClient flags) => _flags = flags;

                    /*new:Member*/
                    public async Task {|KS1001:PlaceOrderAsync|}(int id)
                    {
                        // Reserve stock first.
                        await Task.Delay(id);
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                using OpenFeature;

                public sealed class OrderService
                {
                    private readonly IFeatureClient _flags;

                    public OrderService(IFeatureClient flags) => _flags = flags;

                    /*new:Member*/
                    public async Task PlaceOrderAsync(int id)
                    {
                        if (!await _flags.GetBooleanValueAsync("place-order", false))
                        {
                            return;
                        }

                        // Reserve stock first.
                        await Task.Delay(id);
                    }
                }
                """,
        };
        test.TestState.Sources.Add(FlagApiStubs.OpenFeature);
        test.FixedState.Sources.Add(FlagApiStubs.OpenFeature);
        await test.RunAsync();
    }
}
