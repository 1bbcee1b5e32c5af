package dev.intake.app;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a class file refers to, read from its constant pool: the classes it names
 * (instantiated, cast to, whose members it uses) and the types in the descriptors of the members it
 * uses. What the JVM may have to load to run it; jdeps' view, without the JDK's tool.
 */
final class ClassReferences {
    private static final Pattern OBJECT_TYPE = Pattern.compile("L([^;<]+);");

    private ClassReferences() {
    }

    static Set<String> of(byte[] classFile) {
        try {
            return read(new DataInputStream(new ByteArrayInputStream(classFile)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> read(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNames = new ArrayList<>();
        List<Integer> descriptors = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // takes two slots
                }
                case 7 -> classNames.add(in.readUnsignedShort());
                case 8, 19, 20 -> in.readUnsignedShort();
                case 16 -> descriptors.add(in.readUnsignedShort());
                case 9, 10, 11, 17, 18 -> in.readInt();
                case 12 -> {
                    in.readUnsignedShort();
                    descriptors.add(in.readUnsignedShort());
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> classes = new TreeSet<>();
        for (int index : classNames) {
            String name = utf8[index];
            if (name.startsWith("[")) {
                addTypes(name, classes); // an array class: its element type, if an object
            } else {
                classes.add(name);
            }
        }
        for (int index : descriptors) {
            addTypes(utf8[index], classes);
        }
        return classes;
    }

    private static void addTypes(String descriptor, Set<String> classes) {
        Matcher m = OBJECT_TYPE.matcher(descriptor);
        while (m.find()) {
            classes.add(m.group(1));
        }
    }
}
