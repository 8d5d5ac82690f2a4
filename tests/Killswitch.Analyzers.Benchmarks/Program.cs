using Killswitch.Analyzers.Benchmarks;

return await Cli.RunAsync(args).ConfigureAwait(false);
