import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.data.TFRecordReader;
import org.ddsp4j.data.TFRecordWriter;

/**
 * One-off measurement for ARCHITECTURE.md's "hand-written code vs libraries": parse time of a TFRecord
 * shard of 4 s DDSP examples, hand-written {@code TfExample} vs protobuf-java (no protoc: a hand-built
 * descriptor of example.proto with {@code DynamicMessage}, and the library's {@code CodedInputStream}).
 *
 * <pre>
 * mvn -q -B compile -pl audio -am
 * java -cp audio/target/classes:core/target/classes:PATH/protobuf-java-4.36.2.jar scripts/ProtoParseBench.java
 * </pre>
 */
public class ProtoParseBench {
    static final String[] KEYS = {DdspExample.AUDIO, DdspExample.F0_HZ, DdspExample.F0_CONFIDENCE, DdspExample.LOUDNESS_DB};

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        Path shard = Files.createTempFile("bench", ".tfrecord");
        SplittableRandom r = new SplittableRandom(1);
        try (OutputStream out = Files.newOutputStream(shard); TFRecordWriter w = new TFRecordWriter(out)) {
            for (int i = 0; i < n; i++) {
                float[] a = new float[64000], f = new float[1001], c = new float[1001], l = new float[1001];
                for (int k = 0; k < a.length; k++) a[k] = (float) r.nextDouble(-1, 1);
                for (int k = 0; k < f.length; k++) {
                    f[k] = (float) r.nextDouble(50, 1000);
                    c[k] = (float) r.nextDouble();
                    l[k] = (float) r.nextDouble(-80, 0);
                }
                w.write(new DdspExample(a, f, c, l).toBytes());
            }
        }
        long bytes = Files.size(shard);
        Descriptor example = exampleDescriptor();

        List<byte[]> records = TFRecordReader.readAll(shard);
        // Same values from the three parsers.
        for (byte[] rec : records) {
            DdspExample h = DdspExample.parse(rec);
            float[][] d = dynamic(example, rec), c = coded(rec);
            for (int k = 0; k < 4; k++) {
                float[] want = k == 0 ? h.audio() : k == 1 ? h.f0Hz() : k == 2 ? h.f0Confidence() : h.loudnessDb();
                if (!Arrays.equals(want, d[k]) || !Arrays.equals(want, c[k])) throw new AssertionError("parsers disagree on " + KEYS[k]);
            }
        }

        String[] names = {"TFRecord framing + CRC32C (TFRecordReader.readAll)", "hand-written TfExample (DdspExample.parse)",
                "protobuf-java DynamicMessage + List<Float> -> float[]", "protobuf-java CodedInputStream, walked by hand"};
        double[][] ms = new double[4][15];
        for (int rep = 0; rep < 20; rep++) { // 5 warm-up passes, then 15 measured
            for (int v = 0; v < 4; v++) {
                long t0 = System.nanoTime();
                long sink = 0;
                if (v == 0) sink += TFRecordReader.readAll(shard).size();
                else for (byte[] rec : records) sink += switch (v) {
                    case 1 -> DdspExample.parse(rec).audio().length;
                    case 2 -> dynamic(example, rec)[0].length;
                    default -> coded(rec)[0].length;
                };
                double t = (System.nanoTime() - t0) / 1e6;
                if (sink == 0) throw new AssertionError();
                if (rep >= 5) ms[v][rep - 5] = t;
            }
        }
        System.out.printf(Locale.ROOT, "shard: %d examples of 64000 + 3 x 1001 floats, %.1f MB%n", n, bytes / 1e6);
        for (int v = 0; v < 4; v++) {
            double[] s = ms[v].clone();
            Arrays.sort(s);
            double med = s[s.length / 2];
            System.out.printf(Locale.ROOT, "%-55s median %7.1f ms/shard  %6.2f ms/example  %7.0f MB/s  (min %.1f, max %.1f)%n",
                    names[v], med, med / n, bytes / 1e3 / med, s[0], s[s.length - 1]);
        }
        Files.delete(shard);
    }

    /** example.proto (tensorflow/core/example/{example,feature}.proto), as a descriptor built in code. */
    static Descriptor exampleDescriptor() throws Exception {
        FieldDescriptorProto.Label rep = FieldDescriptorProto.Label.LABEL_REPEATED, opt = FieldDescriptorProto.Label.LABEL_OPTIONAL;
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("example.proto").setPackage("tensorflow").setSyntax("proto3")
                .addMessageType(msg("BytesList", field("value", 1, rep, FieldDescriptorProto.Type.TYPE_BYTES, null)))
                .addMessageType(msg("FloatList", field("value", 1, rep, FieldDescriptorProto.Type.TYPE_FLOAT, null)))
                .addMessageType(msg("Int64List", field("value", 1, rep, FieldDescriptorProto.Type.TYPE_INT64, null)))
                .addMessageType(DescriptorProto.newBuilder().setName("Feature").addOneofDecl(OneofDescriptorProto.newBuilder().setName("kind"))
                        .addField(field("bytes_list", 1, opt, FieldDescriptorProto.Type.TYPE_MESSAGE, ".tensorflow.BytesList").toBuilder().setOneofIndex(0))
                        .addField(field("float_list", 2, opt, FieldDescriptorProto.Type.TYPE_MESSAGE, ".tensorflow.FloatList").toBuilder().setOneofIndex(0))
                        .addField(field("int64_list", 3, opt, FieldDescriptorProto.Type.TYPE_MESSAGE, ".tensorflow.Int64List").toBuilder().setOneofIndex(0)))
                .addMessageType(DescriptorProto.newBuilder().setName("Features")
                        .addField(field("feature", 1, rep, FieldDescriptorProto.Type.TYPE_MESSAGE, ".tensorflow.Features.FeatureEntry"))
                        .addNestedType(DescriptorProto.newBuilder().setName("FeatureEntry").setOptions(MessageOptions.newBuilder().setMapEntry(true))
                                .addField(field("key", 1, opt, FieldDescriptorProto.Type.TYPE_STRING, null))
                                .addField(field("value", 2, opt, FieldDescriptorProto.Type.TYPE_MESSAGE, ".tensorflow.Feature"))))
                .addMessageType(msg("Example", field("features", 1, opt, FieldDescriptorProto.Type.TYPE_MESSAGE, ".tensorflow.Features")))
                .build();
        return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("Example");
    }

    static DescriptorProto msg(String name, FieldDescriptorProto f) {
        return DescriptorProto.newBuilder().setName(name).addField(f).build();
    }

    static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Label label, FieldDescriptorProto.Type type, String typeName) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setLabel(label).setType(type);
        if (typeName != null) b.setTypeName(typeName);
        return b.build();
    }

    /** DynamicMessage: the map arrives as a list of entry messages, the floats boxed one by one. */
    static float[][] dynamic(Descriptor example, byte[] rec) throws Exception {
        DynamicMessage ex = DynamicMessage.parseFrom(example, rec);
        DynamicMessage features = (DynamicMessage) ex.getField(example.findFieldByName("features"));
        FieldDescriptor featureMap = features.getDescriptorForType().findFieldByName("feature");
        Descriptor entry = featureMap.getMessageType();
        FieldDescriptor key = entry.findFieldByName("key"), value = entry.findFieldByName("value");
        FieldDescriptor floatList = value.getMessageType().findFieldByName("float_list");
        FieldDescriptor values = floatList.getMessageType().findFieldByName("value");
        float[][] out = new float[4][];
        int count = features.getRepeatedFieldCount(featureMap);
        for (int i = 0; i < count; i++) {
            DynamicMessage e = (DynamicMessage) features.getRepeatedField(featureMap, i);
            int k = Arrays.asList(KEYS).indexOf((String) e.getField(key));
            if (k < 0) continue;
            DynamicMessage fl = (DynamicMessage) ((DynamicMessage) e.getField(value)).getField(floatList);
            @SuppressWarnings("unchecked") List<Float> v = (List<Float>) fl.getField(values);
            float[] a = new float[v.size()];
            for (int j = 0; j < a.length; j++) a[j] = v.get(j);
            out[k] = a;
        }
        return out;
    }

    /** CodedInputStream: the library reads varints and floats; the message structure is still walked by hand. */
    static float[][] coded(byte[] rec) throws Exception {
        float[][] out = new float[4][];
        CodedInputStream ex = CodedInputStream.newInstance(rec);
        for (int tag; (tag = ex.readTag()) != 0; ) {
            if (tag != (1 << 3 | 2)) { ex.skipField(tag); continue; }
            int featuresLimit = ex.pushLimit(ex.readRawVarint32());
            for (int t; (t = ex.readTag()) != 0; ) {
                if (t != (1 << 3 | 2)) { ex.skipField(t); continue; }
                int entryLimit = ex.pushLimit(ex.readRawVarint32());
                String name = null;
                float[] vals = null;
                for (int u; (u = ex.readTag()) != 0; ) {
                    if (u == (1 << 3 | 2)) name = ex.readStringRequireUtf8();
                    else if (u == (2 << 3 | 2)) {
                        int featureLimit = ex.pushLimit(ex.readRawVarint32());
                        for (int w; (w = ex.readTag()) != 0; ) {
                            if (w != (2 << 3 | 2)) { ex.skipField(w); continue; }
                            int listLimit = ex.pushLimit(ex.readRawVarint32());
                            List<float[]> parts = new ArrayList<>();
                            for (int z; (z = ex.readTag()) != 0; ) {
                                if (z == (1 << 3 | 2)) {
                                    int len = ex.readRawVarint32(), lim = ex.pushLimit(len);
                                    float[] p = new float[len / 4];
                                    for (int j = 0; j < p.length; j++) p[j] = ex.readFloat();
                                    ex.popLimit(lim);
                                    parts.add(p);
                                } else ex.skipField(z);
                            }
                            vals = parts.size() == 1 ? parts.getFirst() : new float[0];
                            ex.popLimit(listLimit);
                        }
                        ex.popLimit(featureLimit);
                    } else ex.skipField(u);
                }
                int k = Arrays.asList(KEYS).indexOf(name);
                if (k >= 0) out[k] = vals;
                ex.popLimit(entryLimit);
            }
            ex.popLimit(featuresLimit);
        }
        return out;
    }
}
