package org.metaopt.ops;
public final class Main { public static void main(String[] a) { System.out.println("metaopt"); } }
