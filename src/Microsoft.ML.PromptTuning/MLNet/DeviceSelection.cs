using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>Chooses the TorchSharp device from <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/>.</summary>
public static class DeviceSelection
{
    /// <summary>
    /// CUDA device <c>GpuDeviceId</c> when it is set and available; the CPU when it is not set, or when it is unavailable and
    /// <c>FallbackToCpu</c> is true (with a warning on the context's log); otherwise an error saying what to change.
    /// </summary>
    public static Device Select(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GpuDeviceId is not int id)
            return CPU;
        int available = cuda.is_available() ? cuda.device_count() : 0;
        if (id >= 0 && id < available)
            return new Device(DeviceType.CUDA, id);
        string reason = available == 0
            ? "CUDA is not available (the CPU backend is referenced, or no GPU/driver is present)"
            : $"only {available} CUDA device(s) exist";
        if (!context.FallbackToCpu)
            throw new InvalidOperationException(
                $"MLContext.GpuDeviceId is {id} but {reason}. Set MLContext.FallbackToCpu = true to run on the CPU, or reference the CUDA backend (-p:TorchBackend=cuda).");
        PromptTuningLog.Warning(context, $"GpuDeviceId {id} requested but {reason}; falling back to the CPU.");
        return CPU;
    }
}
