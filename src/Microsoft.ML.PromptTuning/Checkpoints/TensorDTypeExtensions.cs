using TorchSharp;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Conversions between <see cref="TensorDType"/>, TorchSharp scalar types and safetensors dtype names.</summary>
public static class TensorDTypeExtensions
{
    /// <summary>The number of bytes one element of <paramref name="dtype"/> occupies.</summary>
    public static int ElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.F64 or TensorDType.I64 => 8,
        TensorDType.F32 or TensorDType.I32 => 4,
        TensorDType.F16 or TensorDType.BF16 or TensorDType.I16 => 2,
        TensorDType.I8 or TensorDType.U8 or TensorDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor dtype."),
    };

    /// <summary>Whether <paramref name="dtype"/> is a floating-point type (F64, F32, F16, BF16).</summary>
    public static bool IsFloatingPoint(this TensorDType dtype) =>
        dtype is TensorDType.F64 or TensorDType.F32 or TensorDType.F16 or TensorDType.BF16;

    /// <summary>The TorchSharp scalar type holding elements of <paramref name="dtype"/>.</summary>
    public static torch.ScalarType ToScalarType(this TensorDType dtype) => dtype switch
    {
        TensorDType.F64 => torch.ScalarType.Float64,
        TensorDType.F32 => torch.ScalarType.Float32,
        TensorDType.F16 => torch.ScalarType.Float16,
        TensorDType.BF16 => torch.ScalarType.BFloat16,
        TensorDType.I64 => torch.ScalarType.Int64,
        TensorDType.I32 => torch.ScalarType.Int32,
        TensorDType.I16 => torch.ScalarType.Int16,
        TensorDType.I8 => torch.ScalarType.Int8,
        TensorDType.U8 => torch.ScalarType.Byte,
        TensorDType.Bool => torch.ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor dtype."),
    };

    /// <summary>The checkpoint dtype storing TorchSharp elements of <paramref name="scalarType"/>.</summary>
    /// <exception cref="ArgumentException">The type (e.g. complex) has no safetensors equivalent.</exception>
    public static TensorDType ToTensorDType(this torch.ScalarType scalarType) => scalarType switch
    {
        torch.ScalarType.Float64 => TensorDType.F64,
        torch.ScalarType.Float32 => TensorDType.F32,
        torch.ScalarType.Float16 => TensorDType.F16,
        torch.ScalarType.BFloat16 => TensorDType.BF16,
        torch.ScalarType.Int64 => TensorDType.I64,
        torch.ScalarType.Int32 => TensorDType.I32,
        torch.ScalarType.Int16 => TensorDType.I16,
        torch.ScalarType.Int8 => TensorDType.I8,
        torch.ScalarType.Byte => TensorDType.U8,
        torch.ScalarType.Bool => TensorDType.Bool,
        _ => throw new ArgumentException($"Tensors of type {scalarType} cannot be stored in a checkpoint.", nameof(scalarType)),
    };

    /// <summary>The dtype's name in a safetensors header (<c>F32</c>, <c>BF16</c>, <c>BOOL</c> …).</summary>
    public static string ToSafeTensorsName(this TensorDType dtype) =>
        dtype == TensorDType.Bool ? "BOOL" : dtype.ToString();

    /// <summary>Parses a safetensors header dtype name; false for names this library does not support (e.g. <c>F8_E4M3</c>).</summary>
    public static bool TryParseSafeTensorsName(string name, out TensorDType dtype)
    {
        foreach (TensorDType candidate in Enum.GetValues<TensorDType>())
        {
            if (string.Equals(candidate.ToSafeTensorsName(), name, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }
}
