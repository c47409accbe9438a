namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>The element type of a stored tensor, named as the safetensors format names it (<c>F32</c>, <c>BF16</c>, <c>BOOL</c> …).</summary>
public enum TensorDType
{
    /// <summary>64-bit IEEE float (<c>F64</c>, torch.float64).</summary>
    F64,

    /// <summary>32-bit IEEE float (<c>F32</c>, torch.float32).</summary>
    F32,

    /// <summary>16-bit IEEE half float (<c>F16</c>, torch.float16).</summary>
    F16,

    /// <summary>16-bit brain float (<c>BF16</c>, torch.bfloat16).</summary>
    BF16,

    /// <summary>Signed 64-bit integer (<c>I64</c>, torch.int64).</summary>
    I64,

    /// <summary>Signed 32-bit integer (<c>I32</c>, torch.int32).</summary>
    I32,

    /// <summary>Signed 16-bit integer (<c>I16</c>, torch.int16).</summary>
    I16,

    /// <summary>Signed 8-bit integer (<c>I8</c>, torch.int8).</summary>
    I8,

    /// <summary>Unsigned 8-bit integer (<c>U8</c>, torch.uint8).</summary>
    U8,

    /// <summary>Boolean stored as one byte (<c>BOOL</c>, torch.bool).</summary>
    Bool,
}
