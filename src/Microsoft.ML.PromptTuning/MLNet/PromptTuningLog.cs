namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>Writes the library's messages to <see cref="MLContext.Log"/>, the ML.NET host's log channel.</summary>
internal static class PromptTuningLog
{
    private const string Source = "PromptTuning";

    public static void Info(MLContext context, string message) => Write(context, "Info", message);

    public static void Warning(MLContext context, string message) => Write(context, "Warning", message);

    // MLContext exposes its channel only as an event; raising it goes through the public IHostEnvironment channel API.
    private static void Write(MLContext context, string kind, string message)
    {
        var channelProvider = (Microsoft.ML.Runtime.IChannelProvider)context;
        using var channel = channelProvider.Start(Source);
        if (kind == "Warning")
            channel.Warning(Microsoft.ML.Runtime.MessageSensitivity.None, message);
        else
            channel.Info(Microsoft.ML.Runtime.MessageSensitivity.None, message);
    }
}
