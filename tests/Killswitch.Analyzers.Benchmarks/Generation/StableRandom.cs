namespace Killswitch.Analyzers.Benchmarks.Generation;

/// <summary>Seeds that depend only on the inputs (string.GetHashCode is randomised per process).</summary>
internal static class StableRandom
{
    public static int Seed(int seed, string key, int salt = 0)
    {
        unchecked
        {
            var hash = (uint)2166136261;
            foreach (var c in key)
            {
                hash = (hash ^ c) * 16777619;
            }

            hash = (hash ^ (uint)seed) * 16777619;
            hash = (hash ^ (uint)salt) * 16777619;
            return (int)(hash & 0x7FFFFFFF);
        }
    }

    public static Random Create(int seed, string key, int salt = 0) => new(Seed(seed, key, salt));

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;
}
