using System.Text;

namespace VideoTracker.Tests.Support;

/// <summary>
/// Writes a minimal ONNX model by hand (protobuf bytes): an input <c>images [1, 3, H, W]</c> and an output
/// <c>output</c> that is an Identity of a constant tensor. Enough to test shape detection and decoding of
/// other YOLO exports without shipping a model.
/// </summary>
public static class TinyOnnxModel
{
    public static byte[] ConstantOutput(int inputHeight, int inputWidth, long[] outputShape, float[] outputValues)
    {
        var tensor = Message(w =>
        {
            foreach (var d in outputShape)
            {
                w.Varint(1, (ulong)d);                       // dims
            }

            w.Varint(2, 1);                                 // data_type = FLOAT
            w.String(8, "value");                           // name
            w.Bytes(9, outputValues.SelectMany(BitConverter.GetBytes).ToArray()); // raw_data (little-endian)
        });
        var node = Message(w =>
        {
            w.String(1, "value");                           // input
            w.String(2, "output");                          // output
            w.String(3, "identity");                        // name
            w.String(4, "Identity");                        // op_type
        });
        var graph = Message(w =>
        {
            w.Bytes(1, node);
            w.String(2, "tiny");
            w.Bytes(5, tensor);                             // initializer
            w.Bytes(11, ValueInfo("images", [1, 3, inputHeight, inputWidth]));
            w.Bytes(12, ValueInfo("output", outputShape));
        });
        return Message(w =>
        {
            w.Varint(1, 7);                                 // ir_version
            w.Bytes(7, graph);
            w.Bytes(8, Message(o =>                         // opset_import
            {
                o.String(1, string.Empty);
                o.Varint(2, 13);
            }));
        });
    }

    private static byte[] ValueInfo(string name, long[] shape) => Message(w =>
    {
        w.String(1, name);
        w.Bytes(2, Message(type => type.Bytes(1, Message(tensorType =>   // TypeProto.tensor_type
        {
            tensorType.Varint(1, 1);                                    // elem_type FLOAT
            tensorType.Bytes(2, Message(s =>                            // shape
            {
                foreach (var d in shape)
                {
                    s.Bytes(1, Message(dim => dim.Varint(1, (ulong)d))); // dim { dim_value }
                }
            }));
        }))));
    });

    private static byte[] Message(Action<ProtoWriter> build)
    {
        var writer = new ProtoWriter();
        build(writer);
        return writer.ToArray();
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public void Varint(int field, ulong value)
        {
            Raw(((ulong)field << 3) | 0);
            Raw(value);
        }

        public void Bytes(int field, byte[] value)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)value.Length);
            _stream.Write(value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public byte[] ToArray() => _stream.ToArray();

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _stream.WriteByte((byte)value);
        }
    }
}
